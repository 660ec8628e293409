package dev.jconv.cli;

import dev.jconv.Tensor;
import dev.jconv.files.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** The PNG that {@code jconv generate} writes: a batch of generated images side by side, enlarged. */
final class ImageGrid {

    /** Each generated pixel becomes a square of this many screen pixels, with this gap between images. */
    private static final int ZOOM = 4;

    private static final int GAP = 2;
    private static final int GAP_GREY = 0x606060;

    private ImageGrid() {}

    /** Images [N, C, H, W] in [-1, 1] (Tanh) as a near-square grid; one channel is grey, three are RGB. */
    static void write(Path png, Tensor images) throws IOException {
        int[] shape = images.shape();
        int count = shape[0];
        int channels = shape[1];
        int height = shape[2];
        int width = shape[3];
        int columns = (int) Math.ceil(Math.sqrt(count));
        int rows = (count + columns - 1) / columns;
        int cellWidth = width * ZOOM + GAP;
        int cellHeight = height * ZOOM + GAP;
        BufferedImage grid =
                new BufferedImage(columns * cellWidth + GAP, rows * cellHeight + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D background = grid.createGraphics();
        background.setColor(new Color(GAP_GREY));
        background.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        background.dispose();
        float[] data = images.toArray();
        for (int image = 0; image < count; image++) {
            int left = GAP + image % columns * cellWidth;
            int top = GAP + image / columns * cellHeight;
            for (int y = 0; y < height * ZOOM; y++) {
                for (int x = 0; x < width * ZOOM; x++) {
                    int pixel = (y / ZOOM) * width + x / ZOOM;
                    int rgb = 0;
                    for (int c = 0; c < 3; c++) {
                        float value = data[((image * channels) + (channels == 3 ? c : 0)) * height * width + pixel];
                        rgb = rgb << 8 | Math.round(Math.max(0f, Math.min(1f, (value + 1) / 2)) * 255);
                    }
                    grid.setRGB(left + x, top + y, rgb);
                }
            }
        }
        AtomicFiles.write(png, stream -> {
            if (!ImageIO.write(grid, "png", stream)) {
                throw new IOException("this Java runtime has no PNG writer");
            }
        });
    }
}
