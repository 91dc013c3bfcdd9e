//! Rebuilds the server when a migration is added or changed: `sqlx::migrate!` embeds the
//! migrations at compile time and cannot see a new file on its own.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
