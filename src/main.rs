//! The `superboard` command line. (On wasm32 the binary is empty: the page uses the library,
//! and wasm test builds still need every target of the package to compile.)
#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use clap::Parser;
    let cli = cli::Cli::parse();
    std::process::exit(cli::dispatch(cli));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
