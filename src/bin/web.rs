//! The web app's entry point (built by Trunk for wasm32): mounts the site.

#[cfg(target_arch = "wasm32")]
fn main() {
    systems_sandbox::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("`app` is the browser build: run `./dev.sh serve` and open http://127.0.0.1:8080");
    std::process::exit(2);
}
