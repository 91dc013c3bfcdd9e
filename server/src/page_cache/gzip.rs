//! A cached page's gzip form, compressed once, off the request path, when the page is kept
//! (`keep`), and joined around each answer's fresh nonce. Compressing the page on every answer (the compression layer,
//! about 1.4 ms for the 109 KB of `/` at 100,000 events) was most of what a hit cost a
//! browser, which always asks for gzip.
//!
//! Each part between two nonces is its own raw deflate stream, ended by a sync flush (so
//! it ends on a byte, with no final block); a nonce goes between them as a stored block,
//! and one empty final block closes the stream. No part refers back into another, so any
//! nonce fits. The CRC of the whole is combined from the parts' and the nonce's.

use axum::body::Bytes;
use axum::http::{header, HeaderMap};
use flate2::{Compress, Compression, FlushCompress};

/// The gzip member header: deflate, no name, no time, unknown system.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
/// An empty stored block marked final.
const LAST_BLOCK: [u8; 5] = [0x01, 0x00, 0x00, 0xff, 0xff];
/// Smaller answers are sent as they are, as the compression layer sends them.
pub const SMALLEST: usize = 32;

/// The parts of a page, each deflated on its own.
pub struct Gzipped {
    parts: Vec<Part>,
}

struct Part {
    deflated: Vec<u8>,
    crc: crc32fast::Hasher,
    len: usize,
}

impl Gzipped {
    /// The page's `parts` deflated; `None` if the compressor fails (the page then goes out
    /// as the compression layer makes it).
    pub fn of(parts: &[Bytes]) -> Option<Gzipped> {
        let parts = parts
            .iter()
            .map(|plain| {
                let mut crc = crc32fast::Hasher::new();
                crc.update(plain);
                Some(Part {
                    deflated: deflated(plain)?,
                    crc,
                    len: plain.len(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Gzipped { parts })
    }

    /// Bytes kept, for the cache's weight.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.deflated.len()).sum()
    }

    /// The gzip stream of the parts joined by `nonce`.
    pub fn joined(&self, nonce: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len() + 64 + self.parts.len() * (nonce.len() + 5));
        out.extend_from_slice(&HEADER);
        let mut crc = crc32fast::Hasher::new();
        let mut nonce_crc = crc32fast::Hasher::new();
        nonce_crc.update(nonce);
        let mut len = 0usize;
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                stored(&mut out, nonce);
                crc.combine(&nonce_crc);
                len += nonce.len();
            }
            out.extend_from_slice(&part.deflated);
            crc.combine(&part.crc);
            len += part.len;
        }
        out.extend_from_slice(&LAST_BLOCK);
        out.extend_from_slice(&crc.finalize().to_le_bytes());
        // ISIZE is the length modulo 2^32.
        out.extend_from_slice(&(len as u32).to_le_bytes());
        out
    }
}

/// `plain` as raw deflate blocks, none final, ending on a byte boundary.
fn deflated(plain: &[u8]) -> Option<Vec<u8>> {
    let mut compress = Compress::new(Compression::best(), false);
    let mut out = Vec::with_capacity(plain.len() / 3 + 64);
    loop {
        let read = usize::try_from(compress.total_in()).ok()?;
        compress
            .compress_vec(plain.get(read..)?, &mut out, FlushCompress::Sync)
            .ok()?;
        // Done once all is read and the flush did not fill the room it had.
        if usize::try_from(compress.total_in()).ok()? == plain.len() && out.len() < out.capacity() {
            return Some(out);
        }
        out.reserve(out.capacity().max(1024));
    }
}

/// `data` as stored (uncompressed) blocks, none final.
fn stored(out: &mut Vec<u8>, data: &[u8]) {
    for chunk in data.chunks(usize::from(u16::MAX)) {
        let len = chunk.len() as u16;
        out.push(0x00);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
}

/// Whether the request accepts gzip: named (or `*`) without `q=0` (RFC 9110, 12.5.3).
pub fn accepted(headers: &HeaderMap) -> bool {
    let mut gzip = None;
    let mut any = None;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut fields = item.split(';');
            let coding = fields
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            let q = fields
                .map(str::trim)
                .filter_map(|f| f.strip_prefix("q=").or_else(|| f.strip_prefix("Q=")))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            match coding.as_str() {
                "gzip" | "x-gzip" => gzip = Some(q > 0.0),
                "*" => any = Some(q > 0.0),
                _ => {}
            }
        }
    }
    gzip.or(any).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use std::io::Read;

    fn gunzip(gz: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        // The decoder checks the CRC and the length at the end of the stream.
        flate2::read::GzDecoder::new(gz)
            .read_to_end(&mut out)
            .expect("a valid gzip stream");
        out
    }

    #[test]
    fn a_page_joined_around_any_nonce_unzips_to_the_page_with_that_nonce() {
        // Large enough that the compressor's output outgrows its first room, and not so
        // regular that it compresses to nothing.
        let long: String = (0..20_000)
            .map(|i| {
                format!(
                    "<li>Sanktion nr. {i} mod Huawei, lørdag {}</li>",
                    i * 7919 % 1000
                )
            })
            .collect();
        let pages: Vec<Vec<&[u8]>> = vec![
            vec![b"<p>no nonce at all, \xc3\xa6\xc3\xb8\xc3\xa5</p>"],
            vec![b"<script nonce=\"", b"\">go()</script>", long.as_bytes()],
            vec![b"", b"starts and ends with one", b""],
            vec![b"", b""],
            vec![long.as_bytes(), long.as_bytes(), b"<p>Navnenyt</p>"],
        ];
        for parts in pages {
            let parts: Vec<Bytes> = parts.iter().map(|p| Bytes::copy_from_slice(p)).collect();
            let gz = Gzipped::of(&parts).expect("compressed");
            for nonce in ["f406fec269464254a85f0eb8d72ea451", "", "x"] {
                let plain = parts
                    .iter()
                    .map(|p| p.as_ref())
                    .collect::<Vec<_>>()
                    .join(nonce.as_bytes());
                assert_eq!(gunzip(&gz.joined(nonce.as_bytes())), plain, "{nonce:?}");
            }
        }
        let parts = [Bytes::from(long.clone())];
        let gz = Gzipped::of(&parts).expect("compressed");
        assert!(gz.len() * 4 < long.len(), "{} of {}", gz.len(), long.len());
    }

    #[test]
    fn a_nonce_longer_than_a_stored_block_is_split_across_blocks() {
        let parts = [Bytes::from_static(b"a"), Bytes::from_static(b"b")];
        let nonce = vec![b'n'; 70_000];
        let gz = Gzipped::of(&parts).expect("compressed");
        let mut plain = b"a".to_vec();
        plain.extend_from_slice(&nonce);
        plain.push(b'b');
        assert_eq!(gunzip(&gz.joined(&nonce)), plain);
    }

    #[test]
    fn gzip_is_sent_where_it_is_accepted_and_not_refused() {
        let accepts = |values: &[&str]| {
            let mut headers = HeaderMap::new();
            for v in values {
                headers.append(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
            }
            accepted(&headers)
        };
        assert!(accepts(&["gzip, deflate, br, zstd"]));
        assert!(accepts(&["br;q=1.0, GZIP;q=0.5"]));
        assert!(accepts(&["br", "gzip"]));
        assert!(accepts(&["*"]));
        assert!(accepts(&["x-gzip"]));
        assert!(!accepts(&[]));
        assert!(!accepts(&["identity"]));
        assert!(!accepts(&["br, deflate"]));
        assert!(!accepts(&["gzip;q=0"]));
        assert!(!accepts(&["gzip; q=0.000, *"]));
        assert!(!accepts(&["*;q=0"]));
        assert!(accepts(&["*;q=0, gzip"]));
        assert!(!accepts(&["gzipper"]));
    }
}
