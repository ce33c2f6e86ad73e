//! `sandbox`: the command-line runner over the same engine the browser uses (see `cli`).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    systems_sandbox::cli::main(&args)
}

#[cfg(target_arch = "wasm32")]
fn main() {}
