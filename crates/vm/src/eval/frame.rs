//! Frames: the state of one running Python function.

/// A reference to a frame on the VM's frame stack.
pub type FrameRef = std::rc::Rc<()>;
