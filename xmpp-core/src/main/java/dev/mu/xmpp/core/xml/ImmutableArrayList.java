package dev.mu.xmpp.core.xml;

import java.util.AbstractList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An unmodifiable list over an array that nothing else references, so that an element's lists cost
 * one exact-size array and a small wrapper, and are handed on between elements without a copy. Like
 * {@link List#of()}, every mutator throws {@link UnsupportedOperationException}, even one that
 * would change nothing.
 *
 * @param <E> the element type
 */
final class ImmutableArrayList<E> extends AbstractList<E> implements RandomAccess {

    private static final ImmutableArrayList<Object> EMPTY = new ImmutableArrayList<>(new Object[0]);

    private final Object[] items;

    private ImmutableArrayList(Object[] items) {
        this.items = items;
    }

    /** The shared empty list. */
    @SuppressWarnings("unchecked")
    static <E> List<E> empty() {
        return (List<E>) EMPTY;
    }

    /** A list over {@code items}, which the caller hands over: nothing may write to them afterwards. */
    static <E> List<E> wrap(E[] items) {
        return items.length == 0 ? empty() : new ImmutableArrayList<>(items);
    }

    /**
     * An unmodifiable list with the items of {@code list}, rejecting nulls: {@code list} itself if it
     * is one already, else one copy of its items.
     */
    @SuppressWarnings("unchecked")
    static <E> List<E> copyOf(List<? extends E> list) {
        if (list instanceof ImmutableArrayList) {
            return (List<E>) list;
        }
        int n = list.size();
        if (n == 0) {
            return empty();
        }
        Object[] items = list.toArray();
        for (Object item : items) {
            Objects.requireNonNull(item, "list element");
        }
        return new ImmutableArrayList<>(items);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        return (E) items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean addAll(int index, Collection<? extends E> c) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void replaceAll(UnaryOperator<E> operator) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sort(Comparator<? super E> c) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException();
    }
}
