//! duiqi's review editor. [`Project`] holds two texts, their alignment and what the
//! reviewer has confirmed; every edit is undoable and the project file is written
//! atomically after each one, so nothing the reviewer did is lost.

mod project;
pub mod server;

pub use project::{Edit, Project, ProjectError, ReviewBead, Side, Status};
