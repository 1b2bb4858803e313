package dev.engram.cli;

import dev.engram.allocator.BlockHeaderLayout;
import dev.engram.allocator.HeapLayout;
import dev.engram.allocator.PersistentHeap;
import dev.engram.allocator.SizeClasses;
import dev.engram.allocator.ZoneLayout;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Draws heap occupancy: the heap laid out left to right, top to bottom, one pixel per
 * {@link #bytesPerPixel()} bytes. Each pixel's colour is its dominant size class (blue for the
 * smallest blocks through green and yellow to red for the largest run blocks, magenta for chunk
 * spans, white for heap metadata), faded towards the free-space colour by how much of the pixel
 * live objects fill. A legend and a title sit under the map.
 */
final class HeapmapRenderer {
    static final Color FREE = new Color(0x1c, 0x1c, 0x24);
    static final Color METADATA = new Color(0xf0, 0xf0, 0xf0);
    static final Color SPAN = new Color(0xd0, 0x30, 0xd0);
    private static final int LEGEND_HEIGHT = 64;
    private static final int CLASSES = SizeClasses.COUNT + 1;

    private final int width;
    private final long heapOffset;
    private final long heapSize;
    private final long bytesPerPixel;
    private final int rows;
    /** Per pixel and class bucket: bytes of live objects; bucket {@code COUNT} is spans. */
    private final int[][] used;
    private final boolean[] metadata;
    private long objects;

    HeapmapRenderer(long heapOffset, long heapSize, int width) {
        this.width = width;
        this.heapOffset = heapOffset;
        this.heapSize = heapSize;
        // Enough pixels for a square-ish map; never finer than one 16-byte granule per pixel.
        long perPixel = Math.max(SizeClasses.GRANULE, ceilDiv(heapSize, (long) width * width));
        this.bytesPerPixel = Long.highestOneBit(perPixel - 1) << 1;
        this.rows = (int) ceilDiv(ceilDiv(heapSize, bytesPerPixel), width);
        this.used = new int[width * rows][];
        this.metadata = new boolean[width * rows];
    }

    long bytesPerPixel() {
        return bytesPerPixel;
    }

    long objects() {
        return objects;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** Marks heap and zone metadata and adds every live object (its header counts with it). */
    void collect(PersistentHeap heap) {
        mark(heapOffset, HeapLayout.HEADER_SIZE);
        int zones = ZoneLayout.zoneCount(heap.chunksPerZone(), heapSize);
        for (int z = 0; z < zones; z++) {
            mark(ZoneLayout.zoneBase(heapOffset, heap.chunksPerZone(), z), ZoneLayout.metadataSize(heap.chunksPerZone()));
        }
        heap.forEachObject(o -> {
            long size = heap.usableSize(o) + BlockHeaderLayout.HEADER_SIZE;
            int cls = SizeClasses.classOf(size - BlockHeaderLayout.HEADER_SIZE);
            add(BlockHeaderLayout.blockOffsetOf(o), size, cls == SizeClasses.SPAN ? SizeClasses.COUNT : cls);
            objects++;
        });
    }

    private void mark(long offset, long length) {
        long first = (offset - heapOffset) / bytesPerPixel;
        long last = (offset - heapOffset + length - 1) / bytesPerPixel;
        for (long p = first; p <= last && p < metadata.length; p++) {
            metadata[(int) p] = true;
        }
    }

    private void add(long offset, long length, int bucket) {
        long rel = offset - heapOffset;
        long end = rel + length;
        while (rel < end) {
            int p = (int) (rel / bytesPerPixel);
            long pixelEnd = (p + 1L) * bytesPerPixel;
            long n = Math.min(end, pixelEnd) - rel;
            if (p >= used.length) {
                return;
            }
            if (used[p] == null) {
                used[p] = new int[CLASSES];
            }
            used[p][bucket] += (int) n;
            rel += n;
        }
    }

    /** Colour of a run block class: hue from blue (smallest) to red (largest), by log of the block size. */
    static Color classColor(int cls) {
        if (cls >= SizeClasses.COUNT) {
            return SPAN;
        }
        double t = Math.log((double) SizeClasses.blockSize(cls) / SizeClasses.MIN_BLOCK)
                / Math.log((double) SizeClasses.MAX_RUN_BLOCK / SizeClasses.MIN_BLOCK);
        return Color.getHSBColor((float) (0.66 * (1 - Math.min(1, Math.max(0, t)))), 0.85f, 1.0f);
    }

    BufferedImage render(String title) {
        BufferedImage img = new BufferedImage(width, rows + LEGEND_HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < width * rows; p++) {
            img.setRGB(p % width, p / width, pixel(p).getRGB());
        }
        legend(img.createGraphics(), title);
        return img;
    }

    private Color pixel(int p) {
        if ((long) p * bytesPerPixel >= heapSize) {
            return Color.BLACK;
        }
        if (metadata[p]) {
            return METADATA;
        }
        int[] u = used[p];
        if (u == null) {
            return FREE;
        }
        int best = 0;
        long total = 0;
        for (int c = 0; c < CLASSES; c++) {
            total += u[c];
            if (u[c] > u[best]) {
                best = c;
            }
        }
        double fill = Math.min(1.0, (double) total / bytesPerPixel);
        // A sliver of an object must still show: at least 35% of the class colour.
        return blend(FREE, classColor(best), 0.35 + 0.65 * fill);
    }

    private static Color blend(Color a, Color b, double t) {
        return new Color((int) (a.getRed() + (b.getRed() - a.getRed()) * t),
                (int) (a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) (a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    private void legend(Graphics2D g, String title) {
        g.setColor(Color.BLACK);
        g.fillRect(0, rows, width, LEGEND_HEIGHT);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.WHITE);
        g.drawString(title, 6, rows + 16);
        String[] labels = {"free", "metadata", "32 B", "128 B", "1 KiB", "8 KiB", "64 KiB", "256 KiB", "span"};
        Color[] colors = {FREE, METADATA, classColor(SizeClasses.classOf(16)), classColor(SizeClasses.classOf(112)),
            classColor(SizeClasses.classOf(1008)), classColor(SizeClasses.classOf(8176)),
            classColor(SizeClasses.classOf(65520)), classColor(SizeClasses.classOf(SizeClasses.MAX_RUN_BLOCK - 16)), SPAN};
        int x = 6;
        for (int i = 0; i < labels.length; i++) {
            g.setColor(colors[i]);
            g.fillRect(x, rows + 28, 14, 14);
            g.setColor(Color.GRAY);
            g.drawRect(x, rows + 28, 14, 14);
            g.setColor(Color.WHITE);
            g.drawString(labels[i], x + 18, rows + 40);
            x += 18 + g.getFontMetrics().stringWidth(labels[i]) + 14;
        }
        g.setColor(Color.LIGHT_GRAY);
        g.drawString("brighter = fuller; each pixel shows its most common size class", 6, rows + 58);
        g.dispose();
    }
}
