// Draws the app icon (packaging/icon.png, 1024x1024) with @napi-rs/canvas: two hosts, and pages
// moving from one to the other. electron-builder makes the .icns and .ico from this PNG.
// Run: node scripts/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { createCanvas } from '@napi-rs/canvas';

const size = 1024;
const canvas = createCanvas(size, size);
const g = canvas.getContext('2d');

function roundedRect(x, y, w, h, r) {
  g.beginPath();
  g.moveTo(x + r, y);
  g.arcTo(x + w, y, x + w, y + h, r);
  g.arcTo(x + w, y + h, x, y + h, r);
  g.arcTo(x, y + h, x, y, r);
  g.arcTo(x, y, x + w, y, r);
  g.closePath();
}

// Background: a rounded square, blue to indigo.
const background = g.createLinearGradient(0, 0, size, size);
background.addColorStop(0, '#2563eb');
background.addColorStop(1, '#312e81');
roundedRect(64, 64, 896, 896, 200);
g.fillStyle = background;
g.fill();

// Two hosts, the source's pages half gone, the destination's half there.
const host = (x, filled) => {
  roundedRect(x, 300, 280, 420, 36);
  g.fillStyle = 'rgba(255,255,255,0.14)';
  g.fill();
  g.lineWidth = 18;
  g.strokeStyle = '#ffffff';
  g.stroke();
  for (let row = 0; row < 4; row += 1) {
    for (let col = 0; col < 3; col += 1) {
      const index = row * 3 + col;
      g.fillStyle = filled(index) ? '#fbbf24' : 'rgba(255,255,255,0.25)';
      roundedRect(x + 34 + col * 76, 340 + row * 90, 60, 66, 10);
      g.fill();
    }
  }
};
host(150, (index) => index >= 5);
host(594, (index) => index < 5);

// The arrow between them: the migration.
g.strokeStyle = '#fbbf24';
g.lineWidth = 34;
g.lineCap = 'round';
g.beginPath();
g.moveTo(452, 510);
g.lineTo(560, 510);
g.stroke();
g.fillStyle = '#fbbf24';
g.beginPath();
g.moveTo(590, 510);
g.lineTo(530, 460);
g.lineTo(530, 560);
g.closePath();
g.fill();

writeFileSync(new URL('../packaging/icon.png', import.meta.url), canvas.toBuffer('image/png'));
console.log('wrote packaging/icon.png');
