/**
 * A photo from the server with its real size in width/height, so the page does not jump when
 * it loads; CSS scales it down to fit. `alt` is empty when the text next to it says what it is.
 */
export function PhotoImage({
  src,
  width,
  height,
  alt = '',
  className,
  lazy = true,
}: {
  src: string;
  width: number;
  height: number;
  alt?: string;
  className?: string;
  lazy?: boolean;
}) {
  return (
    <img
      src={src}
      width={width}
      height={height}
      alt={alt}
      className={['photo-image', className].filter(Boolean).join(' ')}
      loading={lazy ? 'lazy' : 'eager'}
      decoding="async"
    />
  );
}
