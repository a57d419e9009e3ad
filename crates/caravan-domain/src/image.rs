//! Uploaded product images: which files are accepted. The format is read from the bytes
//! themselves (never from a file name or a client's `Content-Type`), so an HTML or SVG file cannot
//! be served as an image.

use crate::error::{Code, DomainError};

/// Largest accepted upload, in bytes (5 MiB).
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;
/// Largest accepted side, in pixels.
pub const MAX_IMAGE_SIDE: usize = 10_000;

/// What an accepted image is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    /// `image/png`, `image/jpeg`, `image/webp` or `image/gif`.
    pub content_type: &'static str,
    /// Pixels.
    pub width: usize,
    /// Pixels.
    pub height: usize,
}

/// Checks an upload: a PNG, JPEG, WebP or GIF of at most [`MAX_IMAGE_BYTES`] and
/// [`MAX_IMAGE_SIDE`] pixels a side.
pub fn check_image(bytes: &[u8]) -> Result<ImageInfo, DomainError> {
    if bytes.is_empty() || bytes.len() > MAX_IMAGE_BYTES {
        return Err(DomainError::new(
            Code::InvalidImage,
            "an image is 1 byte to 5 MiB",
        ));
    }
    let bad = || {
        DomainError::new(
            Code::InvalidImage,
            "an image must be a PNG, JPEG, WebP or GIF file",
        )
    };
    let content_type = match imagesize::image_type(bytes).map_err(|_| bad())? {
        imagesize::ImageType::Png => "image/png",
        imagesize::ImageType::Jpeg => "image/jpeg",
        imagesize::ImageType::Webp => "image/webp",
        imagesize::ImageType::Gif => "image/gif",
        _ => return Err(bad()),
    };
    let size = imagesize::blob_size(bytes).map_err(|_| bad())?;
    if size.width == 0
        || size.height == 0
        || size.width > MAX_IMAGE_SIDE
        || size.height > MAX_IMAGE_SIDE
    {
        return Err(DomainError::new(
            Code::InvalidImage,
            "an image is 1 to 10,000 pixels a side",
        ));
    }
    Ok(ImageInfo {
        content_type,
        width: size.width,
        height: size.height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 PNG.
    const PNG: [u8; 67] = [
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00,
        0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn images_are_known_by_their_bytes() {
        let info = check_image(&PNG).expect("png");
        assert_eq!(
            (info.content_type, info.width, info.height),
            ("image/png", 1, 1)
        );
        for bad in [
            &b""[..],
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
            b"<html><script>alert(1)</script></html>",
            &PNG[..12],
        ] {
            assert_eq!(check_image(bad).unwrap_err().code, "invalid_image");
        }
        let big = vec![0u8; MAX_IMAGE_BYTES + 1];
        assert_eq!(check_image(&big).unwrap_err().code, "invalid_image");
    }
}
