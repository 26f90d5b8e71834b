//! Server startup against a real SQLite file: a first start that fails must not leave an admin
//! account whose one-time password nobody saw.

use siperlu_server::{ServerConfig, ServerError};

#[tokio::test(flavor = "multi_thread")]
async fn failed_bind_creates_no_admin() {
    let folder = tempfile::tempdir().expect("temp dir");
    let db_path = folder.path().join("siperlu.db");
    let occupied = std::net::TcpListener::bind("127.0.0.1:0").expect("occupy a port");
    let occupied_address = occupied.local_addr().expect("occupied address");

    let result = siperlu_server::bind(ServerConfig::new(db_path.clone(), occupied_address)).await;
    assert!(
        matches!(result, Err(ServerError::Listen { .. })),
        "bind on a port in use fails with a listen error"
    );

    let connection = rusqlite::Connection::open(&db_path).expect("open database");
    let admins: i64 = connection
        .query_row("SELECT COUNT(*) FROM admin_users", [], |row| row.get(0))
        .expect("count admins");
    assert_eq!(admins, 0, "no admin account after a failed first start");
    drop(connection);

    let free_address = "127.0.0.1:0".parse().expect("address");
    let server = siperlu_server::bind(ServerConfig::new(db_path, free_address))
        .await
        .expect("second start binds");
    assert!(
        server.one_time_password.is_some(),
        "the next start creates the admin and returns its one-time password"
    );
}
