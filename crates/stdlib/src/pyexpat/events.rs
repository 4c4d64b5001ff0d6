//! What the XML parser reports: events for the Python handlers, the
//! content models of element declarations, and which handlers are set.

/// One handler of the xmlparser, by its index in `HANDLER_NAMES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum H {
    StartElement,
    EndElement,
    ProcessingInstruction,
    CharacterData,
    UnparsedEntityDecl,
    NotationDecl,
    StartNamespaceDecl,
    EndNamespaceDecl,
    Comment,
    StartCdataSection,
    EndCdataSection,
    Default,
    DefaultExpand,
    NotStandalone,
    ExternalEntityRef,
    StartDoctypeDecl,
    EndDoctypeDecl,
    EntityDecl,
    XmlDecl,
    ElementDecl,
    AttlistDecl,
    SkippedEntity,
}

pub const HANDLER_COUNT: usize = 22;

/// The attribute names of the handlers, in `H` order.
pub const HANDLER_NAMES: [&str; HANDLER_COUNT] = [
    "StartElementHandler",
    "EndElementHandler",
    "ProcessingInstructionHandler",
    "CharacterDataHandler",
    "UnparsedEntityDeclHandler",
    "NotationDeclHandler",
    "StartNamespaceDeclHandler",
    "EndNamespaceDeclHandler",
    "CommentHandler",
    "StartCdataSectionHandler",
    "EndCdataSectionHandler",
    "DefaultHandler",
    "DefaultHandlerExpand",
    "NotStandaloneHandler",
    "ExternalEntityRefHandler",
    "StartDoctypeDeclHandler",
    "EndDoctypeDeclHandler",
    "EntityDeclHandler",
    "XmlDeclHandler",
    "ElementDeclHandler",
    "AttlistDeclHandler",
    "SkippedEntityHandler",
];

/// Which handlers are set (bit `1 << H as u32`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Set(pub u32);

impl Set {
    pub fn has(self, h: H) -> bool {
        self.0 & (1 << h as u32) != 0
    }
    pub fn any_default(self) -> bool {
        self.has(H::Default) || self.has(H::DefaultExpand)
    }
}

/// An element declaration's content model (pyexpat.model's constants).
#[derive(Debug, Clone)]
pub struct Model {
    pub ctype: u8,
    pub quant: u8,
    pub name: Option<String>,
    pub children: Vec<Model>,
}

#[derive(Debug)]
pub enum Ev {
    /// Text for the default handler only.
    Raw,
    XmlDecl { version: Option<String>, encoding: Option<String>, standalone: i32 },
    StartDoctype { name: String, sysid: Option<String>, pubid: Option<String>, internal: bool },
    EndDoctype,
    EntityDecl {
        name: String,
        param: bool,
        value: Option<String>,
        sysid: Option<String>,
        pubid: Option<String>,
        notation: Option<String>,
    },
    NotationDecl { name: String, sysid: Option<String>, pubid: Option<String> },
    ElementDecl { name: String, model: Model },
    AttlistDecl { elname: String, attname: String, atype: String, default: Option<String>, required: bool },
    StartElement { name: String, attrs: Vec<(String, String)>, specified: usize },
    EndElement { name: String },
    StartNs { prefix: Option<String>, uri: Option<String> },
    EndNs { prefix: Option<String> },
    Chars(String),
    Pi { target: String, data: String },
    Comment(String),
    StartCdata,
    EndCdata,
    Skipped { name: String, param: bool },
    ExternalRef { context: Option<String>, sysid: Option<String>, pubid: Option<String> },
    NotStandalone,
}

impl Ev {
    /// The handler that receives the event (None: the default handler only).
    pub fn handler(&self) -> Option<H> {
        Some(match self {
            Ev::Raw => return None,
            Ev::XmlDecl { .. } => H::XmlDecl,
            Ev::StartDoctype { .. } => H::StartDoctypeDecl,
            Ev::EndDoctype => H::EndDoctypeDecl,
            Ev::EntityDecl { .. } => H::EntityDecl,
            Ev::NotationDecl { .. } => H::NotationDecl,
            Ev::ElementDecl { .. } => H::ElementDecl,
            Ev::AttlistDecl { .. } => H::AttlistDecl,
            Ev::StartElement { .. } => H::StartElement,
            Ev::EndElement { .. } => H::EndElement,
            Ev::StartNs { .. } => H::StartNamespaceDecl,
            Ev::EndNs { .. } => H::EndNamespaceDecl,
            Ev::Chars(_) => H::CharacterData,
            Ev::Pi { .. } => H::ProcessingInstruction,
            Ev::Comment(_) => H::Comment,
            Ev::StartCdata => H::StartCdataSection,
            Ev::EndCdata => H::EndCdataSection,
            Ev::Skipped { .. } => H::SkippedEntity,
            Ev::ExternalRef { .. } => H::ExternalEntityRef,
            Ev::NotStandalone => H::NotStandalone,
        })
    }
}

/// An event with its position and, when a default handler may want it,
/// the markup's text.
#[derive(Debug)]
pub struct Event {
    pub ev: Ev,
    pub raw: Option<String>,
    pub line: u64,
    pub col: u64,
    pub byte: i64,
}
