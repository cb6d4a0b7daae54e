/** XEP-0030 service discovery information, with XEP-0128 extended forms, as a JAXB-bound payload (<a href="https://xmpp.org/extensions/xep-0030.html">XEP-0030</a>). */
@XmlSchema(namespace = DiscoInfo.NAMESPACE, elementFormDefault = XmlNsForm.QUALIFIED)
package dev.mu.xmpp.xep.disco.packet;

import jakarta.xml.bind.annotation.XmlNsForm;
import jakarta.xml.bind.annotation.XmlSchema;
