//! The embedded default database `run` uses when no DATABASE_URL is given: created with
//! the system's initdb (as the postgres user when we are root), started, and reused.

use server::database::LocalCluster;

#[tokio::test]
async fn a_local_cluster_is_created_started_and_then_reused() {
    let root = std::env::temp_dir().join(format!("sanctions-cluster-test-{}", std::process::id()));
    let port = 55_000 + (std::process::id() % 1000) as u16;
    let cluster = LocalCluster::new(root.join("postgres"), port).expect("PostgreSQL binaries");

    let url = cluster.ensure_running().await.expect("cluster starts");
    assert!(root.join("postgres/PG_VERSION").exists());
    let pool = sqlx::PgPool::connect(&url).await.expect("connects");
    let encoding: String = sqlx::query_scalar("SHOW server_encoding")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(encoding, "UTF8");
    sqlx::query("CREATE TABLE kept (x int)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    // A second start finds it running and keeps its data.
    let again = cluster.ensure_running().await.expect("reused");
    assert_eq!(again, url);
    let pool = sqlx::PgPool::connect(&again).await.unwrap();
    sqlx::query("SELECT x FROM kept")
        .fetch_all(&pool)
        .await
        .expect("data kept");
    pool.close().await;

    cluster.stop().expect("stops");
    let _ = std::fs::remove_dir_all(&root);
}
