//! XML as the document readers need it: elements by local name, attributes, and text with
//! references resolved (quick-xml does the parsing).

use quick_xml::events::{BytesStart, Event};

/// What the readers see of an XML document.
pub(super) enum Node {
    /// An element opens (an empty element is followed by its `Close`).
    Open { name: String, attributes: Vec<(String, String)> },
    /// An element closes.
    Close { name: String },
    /// Text (CDATA and references included).
    Text(String),
}

impl Node {
    /// The value of attribute `name` (local name) of an opening element.
    pub(super) fn attribute(&self, name: &str) -> Option<&str> {
        match self {
            Node::Open { attributes, .. } => attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()),
            _ => None,
        }
    }
}

/// Calls `visit` with every node of `xml`, in order; an error names what is malformed.
pub(super) fn walk(xml: &str, mut visit: impl FnMut(&Node)) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    loop {
        let event =
            reader.read_event().map_err(|e| format!("malformed XML at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(element) => visit(&open(&element)),
            Event::Empty(element) => {
                let node = open(&element);
                visit(&node);
                if let Node::Open { name, .. } = node {
                    visit(&Node::Close { name });
                }
            }
            Event::End(element) => visit(&Node::Close { name: local(element.local_name().as_ref()) }),
            Event::Text(text) => visit(&Node::Text(text.xml10_content().into_owned())),
            Event::CData(text) => visit(&Node::Text(text.xml10_content().into_owned())),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => match reference.xml10_content().as_ref() {
                        "amp" => Some("&".into()),
                        "lt" => Some("<".into()),
                        "gt" => Some(">".into()),
                        "quot" => Some("\"".into()),
                        "apos" => Some("'".into()),
                        "nbsp" => Some("\u{a0}".into()),
                        _ => None,
                    },
                };
                if let Some(text) = resolved {
                    visit(&Node::Text(text));
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn local(name: &str) -> String {
    name.to_string()
}

fn open(element: &BytesStart) -> Node {
    let attributes = element
        .attributes()
        .flatten()
        .map(|a| {
            let value =
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map(|v| v.into_owned()).unwrap_or_default();
            (local(a.key.local_name().as_ref()), value)
        })
        .collect();
    Node::Open { name: local(element.local_name().as_ref()), attributes }
}
