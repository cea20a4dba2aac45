//! Domain rule tests across modules.
