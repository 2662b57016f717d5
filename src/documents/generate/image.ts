/**
 * Draws a laid-out invoice page as a scanned image: Liberation Sans (metrically Helvetica's
 * equal), a slight rotation, a grey paper tone, sensor noise, blur and scanner streaks, as PNG or
 * JPEG. Deterministic for a seed.
 */
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { Random } from '../../demo/random.ts';
import type { PageLayout } from './layout.ts';

export interface ScanOptions {
  format: 'png' | 'jpeg';
  /** Pixels per PDF point (2.2 is about 160 dpi). */
  scale?: number;
  /** Rotation in degrees; by default a random one within ±2°. */
  rotation?: number;
  /** Standard deviation of the pixel noise, in grey levels (0 to 255). */
  noise?: number;
  /** Blur radius in pixels. */
  blur?: number;
  /** A dark streak and a shadowed edge, as a flatbed scanner leaves. */
  artefacts?: boolean;
  seed: number;
}

const fontFamily = 'Liberation Sans';
const fontFiles = [
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
];
let fontsLoaded = false;

export function invoiceImage(layout: PageLayout, options: ScanOptions): Uint8Array {
  if (!fontsLoaded) {
    for (const file of fontFiles) GlobalFonts.registerFromPath(file, fontFamily);
    fontsLoaded = true;
  }
  const random = new Random(options.seed, 29);
  const scale = options.scale ?? 2.2;
  const width = Math.round(layout.width * scale);
  const height = Math.round(layout.height * scale);
  const canvas = createCanvas(width, height);
  const g = canvas.getContext('2d');
  const paper = 235 + random.int(18);
  g.fillStyle = `rgb(${paper},${paper},${paper - 4})`;
  g.fillRect(0, 0, width, height);
  const degrees = options.rotation ?? random.between(-2, 2);
  g.translate(width / 2, height / 2);
  g.rotate((degrees * Math.PI) / 180);
  g.translate(-width / 2, -height / 2);
  if (options.blur) g.filter = `blur(${options.blur}px)`;
  g.scale(scale, scale);
  const ink = 20 + random.int(40);
  g.fillStyle = `rgb(${ink},${ink},${ink + 10})`;
  g.strokeStyle = g.fillStyle;
  for (const t of layout.texts) {
    g.font = `${t.bold ? 'bold ' : ''}${t.size}px "${fontFamily}"`;
    g.textAlign = t.align === 'right' ? 'right' : 'left';
    g.fillText(t.text, t.x, t.y);
  }
  g.lineWidth = 0.6;
  for (const r of layout.rules) {
    g.beginPath();
    g.moveTo(r.x0, r.y0);
    g.lineTo(r.x1, r.y1);
    g.stroke();
  }
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.filter = 'none';
  if (options.artefacts) {
    const streak = random.int(width);
    g.fillStyle = 'rgba(60,60,60,0.35)';
    g.fillRect(streak, 0, 2 + random.int(3), height);
    const shadow = g.createLinearGradient(0, 0, 40, 0);
    shadow.addColorStop(0, 'rgba(0,0,0,0.3)');
    shadow.addColorStop(1, 'rgba(0,0,0,0)');
    g.fillStyle = shadow;
    g.fillRect(0, 0, 40, height);
  }
  const noise = options.noise ?? 0;
  if (noise > 0) {
    const pixels = g.getImageData(0, 0, width, height);
    const data = pixels.data;
    for (let p = 0; p < data.length; p += 4) {
      const n = random.normal() * noise;
      data[p] = clamp((data[p] ?? 0) + n);
      data[p + 1] = clamp((data[p + 1] ?? 0) + n);
      data[p + 2] = clamp((data[p + 2] ?? 0) + n);
    }
    g.putImageData(pixels, 0, 0);
  }
  return options.format === 'png' ? canvas.toBuffer('image/png') : canvas.toBuffer('image/jpeg', 82);
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
