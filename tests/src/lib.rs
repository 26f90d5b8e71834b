//! End-to-end tests across the Siperlu crates live in `tests/`; this library holds nothing but
//! lets the crate build as a workspace member.
