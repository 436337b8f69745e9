/**
 * libjpeg can decode a JPEG at 1/2, 1/4 or 1/8 of its size by scaling in the frequency domain,
 * which skips most of the work of decoding every pixel of a 12-megapixel photo that is about to
 * become 1600 px wide. sharp only asks for it when the reduction is at least 3× (it leaves a
 * margin for libjpeg's rounding at exact factors), so a 4000 px photo going to 1600 px (2.5×)
 * would be decoded in full.
 *
 * The largest factor whose decoded long edge is still at least the target, so that the resize
 * after it always shrinks and the derivative comes out exactly as large as without it.
 * libjpeg rounds a scaled size up; rounding down here keeps the margin on the safe side.
 */
export type JpegShrink = 1 | 2 | 4 | 8;

export function jpegShrinkOnLoad(width: number, height: number, targetLongEdge: number): JpegShrink {
  const longEdge = Math.max(width, height);
  if (!Number.isFinite(longEdge) || !Number.isFinite(targetLongEdge) || targetLongEdge < 1) return 1;
  for (const factor of [8, 4, 2] as const) {
    if (Math.floor(longEdge / factor) >= targetLongEdge) return factor;
  }
  return 1;
}

/**
 * The pixel limit for a JPEG decoded at 1/`shrink`: libvips checks its limit against the image
 * as loaded, that is 1/shrink² of the pixels, so the limit is scaled down with it. It leaves
 * room only for libjpeg rounding each scaled side up, so a photo within `maxPixels` always
 * passes; and whatever size a header claimed (`header`, which decided the shrink), an image that
 * passes has at most `maxPixels` plus about a megapixel (shrink × the claimed sides).
 */
export function shrunkPixelLimit(maxPixels: number, shrink: number, header: { width: number; height: number }): number {
  if (shrink <= 1) return maxPixels;
  return Math.ceil(maxPixels / (shrink * shrink)) + Math.ceil((header.width + header.height) / shrink) + 1;
}
