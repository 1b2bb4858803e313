package dev.engram.cli;

import dev.engram.pool.PoolInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code engram heapmap}: a PNG of heap occupancy by size class. */
@Command(name = "heapmap", description = "Write a PNG picture of heap occupancy, coloured by size class.")
final class HeapmapCommand extends PoolCommand {
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PNG", description = "The PNG file to write.")
    Path output;

    @Option(names = "--width", defaultValue = "1024", description = "Image width in pixels (64..8192). Default: ${DEFAULT-VALUE}.")
    int width;

    @Override
    public Integer call() {
        if (width < 64 || width > 8192) {
            throw CliException.usage("--width " + width + " must be 64..8192");
        }
        try (PoolSession s = PoolSession.open(poolPath, null)) {
            PoolInfo i = s.info();
            HeapmapRenderer r = new HeapmapRenderer(i.heapOffset(), i.heapSize(), width);
            r.collect(s.heap());
            String title = poolPath.getFileName() + ": heap " + Units.bytes(i.heapSize()) + ", " + r.objects()
                    + " objects, 1 pixel = " + Units.bytes(r.bytesPerPixel());
            BufferedImage img = r.render(title);
            try {
                if (!ImageIO.write(img, "png", output.toFile())) {
                    throw new CliException(ExitCodes.IO_ERROR, "no PNG writer in this JDK");
                }
            } catch (IOException e) {
                throw new CliException(ExitCodes.IO_ERROR, "cannot write " + output + ": " + e.getMessage()
                        + "; check the directory exists and is writable", e);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("file", poolPath.toString());
            doc.put("output", output.toString());
            doc.put("width", img.getWidth());
            doc.put("height", img.getHeight());
            doc.put("bytesPerPixel", r.bytesPerPixel());
            doc.put("objects", r.objects());
            emit(doc, "wrote " + output + " (" + img.getWidth() + "x" + img.getHeight() + ", 1 pixel = "
                    + Units.bytes(r.bytesPerPixel()) + ", " + fileSize(output) + ")\n");
        }
        return ExitCodes.OK;
    }

    private static String fileSize(Path p) {
        try {
            return Units.bytes(Files.size(p));
        } catch (IOException e) {
            return "size unknown";
        }
    }
}
