//! The interop suite's plumbing: finding the tools (skipping or failing when one is missing),
//! starting them on a free loopback port in a process group of their own, and stopping that
//! group when the test ends, however it ends.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Under `LAMBDA_REMOTE_INTEROP=require` (set by `.ci/run`) a missing tool fails the test;
/// otherwise the test is skipped with a message saying so.
pub const POLICY_ENV: &str = "LAMBDA_REMOTE_INTEROP";

/// Checks that the tool `name` answers `<program> <probe_args>` successfully. Returns the first
/// line it printed, or `None` after printing `interop: SKIPPED — <name> not installed` when it
/// is missing; panics instead when `LAMBDA_REMOTE_INTEROP=require`.
pub fn find(name: &str, program: &str, probe_args: &[&str], install: &str) -> Option<String> {
    let found = Command::new(program)
        .args(probe_args)
        .stdin(Stdio::null())
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| {
            let text = String::from_utf8_lossy(&output.stdout).trim().to_owned();
            text.lines().next().unwrap_or_default().to_owned()
        });
    match found {
        Some(line) => {
            println!("interop: using {name}: {line}");
            Some(line)
        }
        None if std::env::var(POLICY_ENV).as_deref() == Ok("require") => panic!(
            "interop: {name} is not installed, and {POLICY_ENV}=require makes that a failure \
             (install it with `{install}`)"
        ),
        None => {
            // Straight to stderr, not through `eprintln!`, which the test harness captures:
            // a skip is shown even though the test passes.
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "interop: SKIPPED — {name} not installed (install it with `{install}`; \
                 {POLICY_ENV}=require turns this skip into a failure)"
            );
            None
        }
    }
}

/// A loopback port that was free a moment ago. The tools take a port number, not a socket, so
/// the port is released before the tool binds it; a tool that then fails to bind it is reported
/// by [`wait_for_port`].
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    listener.local_addr().expect("its address").port()
}

/// A child process in a process group of its own, killed with its whole group on drop.
pub struct Group {
    name: String,
    child: Child,
    log: PathBuf,
}

impl Group {
    /// Starts `command` in a new process group, its output going to `log`.
    pub fn spawn(name: &str, mut command: Command, log: &Path) -> Group {
        use std::os::unix::process::CommandExt as _;
        let out = std::fs::File::create(log).expect("the log file");
        let err = out.try_clone().expect("the log file");
        command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("interop: cannot start {name}: {e}"));
        Group {
            name: name.to_owned(),
            child,
            log: log.to_owned(),
        }
    }

    /// What the process printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Panics, with the log, if the process has exited.
    pub fn check_running(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!(
                "interop: {} exited ({status}); its output:\n{}",
                self.name,
                self.log()
            );
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let Ok(pid) = libc::pid_t::try_from(self.child.id()) else {
            return;
        };
        // The group's id is the child's pid (`process_group(0)`): this kills the tool and
        // whatever it started, and nothing else.
        unsafe {
            libc::killpg(pid, libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

/// Waits until `process` accepts connections on `port`, or panics with its output.
pub async fn wait_for_port(process: &mut Group, port: u16, within: Duration) -> SocketAddr {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let start = Instant::now();
    loop {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            return addr;
        }
        process.check_running();
        if start.elapsed() > within {
            panic!(
                "interop: {} did not listen on {addr} within {within:?}; its output:\n{}",
                process.name,
                process.log()
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `moto_server` (moto 5.2.1: Lambda, S3, DynamoDB, IAM in one process) on a free loopback
/// port, its output going to `log`; `None` when moto is not installed (the test is skipped, or
/// fails under `LAMBDA_REMOTE_INTEROP=require`). Stopped with its process group when the
/// returned [`Group`] drops. Point an SDK client at `http://{addr}` with any static credentials
/// and region; for S3 use path-style addressing (`force_path_style(true)`).
pub async fn moto_server(log: &Path) -> Option<(Group, SocketAddr)> {
    find(
        "moto_server",
        "moto_server",
        &["--help"],
        "pip install 'moto[server]==5.2.1'",
    )?;
    let port = free_port();
    let mut server = Command::new("moto_server");
    server.args(["-H", "127.0.0.1", "-p"]).arg(port.to_string());
    let mut server = Group::spawn("moto_server", server, log);
    let addr = wait_for_port(&mut server, port, Duration::from_secs(60)).await;
    Some((server, addr))
}

/// The real `cargo lambda watch` serving the function crate at `crate_dir` on a free loopback
/// port (Lambda APIs only, no rebuild on change), its output going to `log`; stopped with its
/// process group when the returned [`Group`] drops. The caller checks the tool is installed
/// ([`find`]) first.
#[allow(dead_code)] // the interop suite starts its own (other options, an environment)
pub async fn cargo_lambda_watch(crate_dir: &Path, log: &Path) -> (Group, SocketAddr) {
    let port = free_port();
    let mut watch = Command::new("cargo");
    watch
        .args(["lambda", "watch", "--ignore-changes", "--only-lambda-apis"])
        .args(["--invoke-address", "127.0.0.1", "--invoke-port"])
        .arg(port.to_string())
        .arg("--manifest-path")
        .arg(crate_dir.join("Cargo.toml"))
        .current_dir(crate_dir);
    let mut watch = Group::spawn("cargo lambda watch", watch, log);
    let addr = wait_for_port(&mut watch, port, Duration::from_secs(60)).await;
    (watch, addr)
}

/// A POST over plain HTTP/1.1 on loopback: the status and the body. For the few requests the
/// suite makes outside the Lambda API (moto's configuration and IAM).
pub async fn post(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {response:?}"));
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// A zip archive holding one executable file, stored uncompressed: enough for CreateFunction.
pub fn zip_one_file(name: &str, data: &[u8]) -> Vec<u8> {
    let crc = crc32(data);
    let size = u32::try_from(data.len()).expect("a small file");
    let name_len = u16::try_from(name.len()).expect("a short name");
    let mut zip = Vec::new();
    // Local file header.
    zip.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    zip.extend_from_slice(&20u16.to_le_bytes()); // version needed
    zip.extend_from_slice(&0u16.to_le_bytes()); // flags
    zip.extend_from_slice(&0u16.to_le_bytes()); // stored
    zip.extend_from_slice(&0u16.to_le_bytes()); // time
    zip.extend_from_slice(&0x0021u16.to_le_bytes()); // date: 1980-01-01
    zip.extend_from_slice(&crc.to_le_bytes());
    zip.extend_from_slice(&size.to_le_bytes());
    zip.extend_from_slice(&size.to_le_bytes());
    zip.extend_from_slice(&name_len.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes()); // extra
    zip.extend_from_slice(name.as_bytes());
    zip.extend_from_slice(data);
    let central = zip.len();
    // Central directory header.
    zip.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    zip.extend_from_slice(&(0x0300u16 | 20).to_le_bytes()); // made by: Unix, 2.0
    zip.extend_from_slice(&20u16.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip.extend_from_slice(&0x0021u16.to_le_bytes());
    zip.extend_from_slice(&crc.to_le_bytes());
    zip.extend_from_slice(&size.to_le_bytes());
    zip.extend_from_slice(&size.to_le_bytes());
    zip.extend_from_slice(&name_len.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes()); // extra
    zip.extend_from_slice(&0u16.to_le_bytes()); // comment
    zip.extend_from_slice(&0u16.to_le_bytes()); // disk
    zip.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
    zip.extend_from_slice(&((0o100_755u32) << 16).to_le_bytes()); // -rwxr-xr-x
    zip.extend_from_slice(&0u32.to_le_bytes()); // offset of the local header
    zip.extend_from_slice(name.as_bytes());
    let central_size = u32::try_from(zip.len() - central).expect("small");
    let central = u32::try_from(central).expect("small");
    // End of central directory.
    zip.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip.extend_from_slice(&1u16.to_le_bytes());
    zip.extend_from_slice(&1u16.to_le_bytes());
    zip.extend_from_slice(&central_size.to_le_bytes());
    zip.extend_from_slice(&central.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip
}

/// CRC-32 (IEEE), as zip uses it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn crc32_matches_the_standard_check_value() {
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
}

/// A response read frame by frame, chunked encoding removed.
#[derive(Debug)]
pub struct RawResponse {
    /// The status code.
    pub status: u16,
    /// Each header as it came, the name in lowercase.
    pub headers: Vec<(String, String)>,
    /// The body's bytes, chunked encoding removed.
    pub body: Vec<u8>,
    /// How many data frames the body came in (chunks, as hyper read them).
    pub frames: usize,
    /// Whether HTTP trailers came after the body.
    pub trailers: bool,
}

impl RawResponse {
    /// The value of header `name` (lowercase), if it came once.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.headers.iter().filter(|(n, _)| n == name);
        let (_, value) = values.next()?;
        values.next().is_none().then_some(value.as_str())
    }
}

/// A POST over plain HTTP/1.1 on loopback whose response is read to its end as it came: for
/// recording exactly what a tool answers, without the SDK in between.
pub async fn post_raw(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> RawResponse {
    request_raw(addr, "POST", path, headers, body).await
}

/// A request of any method, as [`post_raw`] sends it.
pub async fn request_raw(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> RawResponse {
    use http_body_util::BodyExt as _;
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .expect("an HTTP/1.1 connection");
    let connection = tokio::spawn(connection);
    let mut request = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr.to_string())
        .header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(http_body_util::Full::new(bytes::Bytes::copy_from_slice(
            body,
        )))
        .expect("a request");
    let response = sender.send_request(request).await.expect("a response");
    let (parts, mut body) = response.into_parts();
    let mut raw = RawResponse {
        status: parts.status.as_u16(),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: Vec::new(),
        frames: 0,
        trailers: false,
    };
    while let Some(frame) = body.frame().await {
        match frame.expect("the body arrives whole").into_data() {
            Ok(data) => {
                raw.frames += 1;
                raw.body.extend_from_slice(&data);
            }
            Err(_) => raw.trailers = true,
        }
    }
    drop(sender);
    connection.abort();
    raw
}
