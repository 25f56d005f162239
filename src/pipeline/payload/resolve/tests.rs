use std::fs;
use std::io::Write;
use std::path::Path;

use flate2::Compression as Level;
use flate2::write::{DeflateEncoder, GzEncoder};

use super::{SourcePolicy, open, read_all};
use crate::pipeline::payload::PayloadError;
use crate::pipeline::payload::source::{Compression, CsvDialect, FileSource, SourceRoot};

fn source(path: &str) -> FileSource {
    FileSource {
        path: path.to_owned(),
        root: SourceRoot::MappingDirectory,
        compression: Compression::None,
        encoding: None,
        csv: CsvDialect::default(),
    }
}

fn read(source: &FileSource, dir: &Path, policy: &SourcePolicy) -> Result<Vec<u8>, PayloadError> {
    Ok(read_all(open(source, dir, policy)?)?)
}

#[test]
fn paths_outside_the_allowed_folders_are_refused() {
    let root = tempfile::tempdir().unwrap();
    let allowed = root.path().join("mappings");
    let outside = root.path().join("secret");
    fs::create_dir_all(allowed.join("sub")).unwrap();
    fs::create_dir_all(&outside).unwrap();
    fs::write(allowed.join("sub/data.csv"), "a\n1\n").unwrap();
    fs::write(outside.join("key.txt"), "secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.join("key.txt"), allowed.join("link.csv")).unwrap();
    let policy = SourcePolicy::new([allowed.clone()]);
    assert_eq!(
        read(&source("sub/data.csv"), &allowed, &policy).unwrap(),
        b"a\n1\n"
    );
    assert_eq!(
        read(&source("./sub/../sub/data.csv"), &allowed, &policy).unwrap(),
        b"a\n1\n"
    );
    let refused = [
        "../secret/key.txt",
        "sub/../../secret/key.txt",
        "/etc/passwd",
        "../secret/does-not-exist",
        "sub",
        #[cfg(unix)]
        "link.csv",
    ];
    for path in refused {
        match read(&source(path), &allowed, &policy) {
            Err(PayloadError::Refused { reason }) => assert!(
                reason.contains(path.trim_start_matches("./"))
                    || reason.contains("secret")
                    || reason.contains("passwd")
                    || reason.contains("sub"),
                "{reason}"
            ),
            other => panic!("{path}: {other:?}"),
        }
    }
    let absolute = outside.join("key.txt");
    assert!(matches!(
        read(&source(absolute.to_str().unwrap()), &allowed, &policy),
        Err(PayloadError::Refused { .. })
    ));
    // No folder allowed: nothing can be read.
    assert!(matches!(
        read(&source("sub/data.csv"), &allowed, &SourcePolicy::default()),
        Err(PayloadError::Refused { .. })
    ));
}

#[test]
fn overrides_replace_a_source_by_path_or_file_name() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("other.json"), "[1]").unwrap();
    let replacement = root.path().join("other.json");
    for name in ["data/in.json", "in.json"] {
        let policy = SourcePolicy::default().with_override(name, &replacement);
        assert_eq!(
            read(&source("data/in.json"), Path::new("/nowhere"), &policy).unwrap(),
            b"[1]"
        );
    }
}

fn file(dir: &Path, name: &str, bytes: &[u8]) -> FileSource {
    fs::write(dir.join(name), bytes).unwrap();
    source(name)
}

fn tar(name: &str, content: &[u8]) -> Vec<u8> {
    let mut header = [0_u8; 512];
    header[..name.len()].copy_from_slice(name.as_bytes());
    let size = format!("{:011o}\0", content.len());
    header[124..136].copy_from_slice(size.as_bytes());
    header[156] = b'0';
    let mut archive = header.to_vec();
    archive.extend_from_slice(content);
    archive.resize(512 + content.len().div_ceil(512) * 512 + 1024, 0);
    archive
}

fn zip(name: &str, content: &[u8], deflate: bool) -> Vec<u8> {
    let data = if deflate {
        let mut encoder = DeflateEncoder::new(Vec::new(), Level::default());
        encoder.write_all(content).unwrap();
        encoder.finish().unwrap()
    } else {
        content.to_vec()
    };
    let mut archive = Vec::new();
    archive.extend_from_slice(&0x0403_4b50_u32.to_le_bytes());
    archive.extend_from_slice(&20_u16.to_le_bytes());
    archive.extend_from_slice(&0_u16.to_le_bytes());
    archive.extend_from_slice(&(if deflate { 8_u16 } else { 0 }).to_le_bytes());
    archive.extend_from_slice(&[0; 8]);
    archive.extend_from_slice(&(data.len() as u32).to_le_bytes());
    archive.extend_from_slice(&(content.len() as u32).to_le_bytes());
    archive.extend_from_slice(&(name.len() as u16).to_le_bytes());
    archive.extend_from_slice(&0_u16.to_le_bytes());
    archive.extend_from_slice(name.as_bytes());
    archive.extend_from_slice(&data);
    archive.extend_from_slice(b"PK\x01\x02 central directory follows");
    archive
}

#[test]
fn compressed_sources_are_decompressed() {
    let dir = tempfile::tempdir().unwrap();
    let policy = SourcePolicy::new([dir.path().to_path_buf()]);
    let content = br#"[{"id": 0}]"#;
    let mut gzip = GzEncoder::new(Vec::new(), Level::default());
    gzip.write_all(content).unwrap();
    let gzip = gzip.finish().unwrap();
    let mut xz = Vec::new();
    lzma_rs::xz_compress(&mut &tar("Friends.json", content)[..], &mut xz).unwrap();
    let mut tar_gz = GzEncoder::new(Vec::new(), Level::default());
    tar_gz.write_all(&tar("Friends.json", content)).unwrap();
    let tar_gz = tar_gz.finish().unwrap();
    let cases = [
        ("plain.json", content.to_vec(), Compression::None),
        ("a.json.gz", gzip, Compression::Gzip),
        (
            "stored.zip",
            zip("Friends.json", content, false),
            Compression::Zip,
        ),
        (
            "deflated.zip",
            zip("Friends.json", content, true),
            Compression::Zip,
        ),
        ("a.tar.xz", xz, Compression::TarXz),
        ("a.tar.gz", tar_gz, Compression::TarGzip),
    ];
    for (name, bytes, compression) in cases {
        let mut source = file(dir.path(), name, &bytes);
        source.compression = compression;
        assert_eq!(
            read(&source, dir.path(), &policy).unwrap(),
            content,
            "{name}"
        );
    }
    for (name, compression) in [
        ("bad.zip", Compression::Zip),
        ("bad.tar.xz", Compression::TarXz),
    ] {
        let mut source = file(dir.path(), name, b"not an archive at all, really not");
        source.compression = compression;
        assert!(read(&source, dir.path(), &policy).is_err(), "{name}");
    }
}

#[test]
fn utf16_sources_are_decoded_to_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let policy = SourcePolicy::new([dir.path().to_path_buf()]);
    let text = "[{\"name\": \"Zoë ☺\"}]";
    let mut little = vec![0xFF, 0xFE];
    little.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut big = vec![0xFE, 0xFF];
    big.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    for (name, bytes) in [("le.json", little), ("be.json", big)] {
        let mut source = file(dir.path(), name, &bytes);
        source.encoding = Some("UTF-16".to_owned());
        assert_eq!(
            String::from_utf8(read(&source, dir.path(), &policy).unwrap()).unwrap(),
            text
        );
    }
    let mut latin1 = file(dir.path(), "latin1.csv", b"caf\xe9");
    latin1.encoding = Some("ISO-8859-1".to_owned());
    assert_eq!(
        read(&latin1, dir.path(), &policy).unwrap(),
        "café".as_bytes()
    );
    let mut unknown = file(dir.path(), "x.csv", b"x");
    unknown.encoding = Some("EBCDIC-ish".to_owned());
    assert!(matches!(
        read(&unknown, dir.path(), &policy),
        Err(PayloadError::Refused { .. })
    ));
    let mut broken = file(
        dir.path(),
        "broken.json",
        &[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00],
    );
    broken.encoding = Some("UTF-16".to_owned());
    assert!(read(&broken, dir.path(), &policy).is_err());
}

#[cfg(unix)]
#[test]
fn an_allowed_folder_reached_through_a_symbolic_link_is_still_allowed() {
    // CI checks the suites out as `../shared -> /somewhere/shared`: the folder as written and
    // its canonical form both count, and `..` out of it is still refused.
    let root = tempfile::tempdir().unwrap();
    let real = root.path().join("real");
    fs::create_dir_all(real.join("data")).unwrap();
    fs::write(real.join("data/x.csv"), "a\n1\n").unwrap();
    fs::write(root.path().join("secret.txt"), "secret").unwrap();
    let link = root.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let policy = SourcePolicy::new([link.join("data")]);
    assert_eq!(
        read(&source("x.csv"), &link.join("data"), &policy).unwrap(),
        b"a\n1\n"
    );
    assert!(matches!(
        read(&source("../../secret.txt"), &link.join("data"), &policy),
        Err(PayloadError::Refused { .. })
    ));
}
