import { useState } from 'preact/hooks';

/** URL schemes an icon may use; anything else (javascript:, file:) shows the initial instead. */
const ICON_URL = /^(https?:\/\/|data:image\/(png|gif|jpeg|webp|svg\+xml)[;,])/i;

/**
 * A plugin's icon, or its initial in a tile when it has none, its URL is not http(s)/data, or
 * the image fails (registries behind firewalls often point at icons they cannot reach). An
 * image never runs script, and no referrer leaves the page with it.
 */
export function PluginIcon({
  name,
  icon,
  size,
}: {
  readonly name: string;
  readonly icon?: string | undefined;
  /** 40 on cards, 64 on the plugin page (CSS classes, so no inline style is needed). */
  readonly size: 40 | 64;
}) {
  const [failed, setFailed] = useState(false);
  const usable = icon !== undefined && ICON_URL.test(icon) && !failed;
  if (usable) {
    return (
      <img
        class={`plugin-icon plugin-icon-${size}`}
        src={icon}
        alt=""
        width={size}
        height={size}
        loading="lazy"
        decoding="async"
        referrerpolicy="no-referrer"
        onError={() => setFailed(true)}
      />
    );
  }
  const initial = Array.from(name.replace(/^plugin-/, ''))[0]?.toUpperCase() ?? '?';
  return (
    <span class={`plugin-icon plugin-icon-${size} plugin-icon-initial`} aria-hidden="true">
      {initial}
    </span>
  );
}
