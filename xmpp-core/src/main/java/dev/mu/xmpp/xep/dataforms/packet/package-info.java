/** XEP-0004 data forms as a JAXB-bound payload (<a href="https://xmpp.org/extensions/xep-0004.html">XEP-0004</a>). */
@XmlSchema(namespace = DataForm.NAMESPACE, elementFormDefault = XmlNsForm.QUALIFIED)
package dev.mu.xmpp.xep.dataforms.packet;

import jakarta.xml.bind.annotation.XmlNsForm;
import jakarta.xml.bind.annotation.XmlSchema;
