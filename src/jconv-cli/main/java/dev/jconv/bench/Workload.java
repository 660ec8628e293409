package dev.jconv.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark workload CSV: {@code name,op,batch,in_channels,height,width,out_channels,kernel,stride,padding,
 * dilation,groups,output_padding}. The default is the project's own {@code scripts/workload.csv}, shipped in the jar
 * as {@code /dev/jconv/bench/workload.csv}.
 */
public final class Workload {

    static final String HEADER = "name,op,batch,in_channels,height,width,out_channels,kernel,stride,padding,dilation,"
            + "groups,output_padding";

    private Workload() {}

    /** The workload in {@code file}, or the default one when {@code file} is null. */
    public static List<WorkloadShape> load(Path file) throws IOException {
        if (file == null) {
            try (InputStream in = Workload.class.getResourceAsStream("/dev/jconv/bench/workload.csv")) {
                if (in == null) {
                    throw new IOException("the default workload is missing from the jar");
                }
                return parse("default workload", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("workload " + file + ": no such file");
        }
        return parse(file.toString(), Files.readString(file));
    }

    static List<WorkloadShape> parse(String source, String text) throws IOException {
        List<String> lines = text.lines()
                .map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(source + ": the first line must be the header " + HEADER);
        }
        List<WorkloadShape> shapes = new ArrayList<>();
        for (int row = 1; row < lines.size(); row++) {
            String[] cells = lines.get(row).split(",", -1);
            String where = source + " line " + (row + 1);
            if (cells.length != 13) {
                throw new IOException(where + ": expected 13 columns, got " + cells.length);
            }
            if (!cells[1].equals("conv2d") && !cells[1].equals("conv_transpose2d")) {
                throw new IOException(where + ": op must be conv2d or conv_transpose2d, got '" + cells[1] + "'");
            }
            int[] numbers = new int[11];
            for (int i = 0; i < numbers.length; i++) {
                try {
                    numbers[i] = Integer.parseInt(cells[i + 2].trim());
                } catch (NumberFormatException e) {
                    throw new IOException(
                            where + ": column " + (i + 3) + " must be an integer, got '" + cells[i + 2] + "'");
                }
            }
            WorkloadShape shape = new WorkloadShape(
                    cells[0],
                    cells[1],
                    numbers[0],
                    numbers[1],
                    numbers[2],
                    numbers[3],
                    numbers[4],
                    numbers[5],
                    numbers[6],
                    numbers[7],
                    numbers[8],
                    numbers[9],
                    numbers[10]);
            try {
                shape.multiplyAdds(); // validates the sizes with the library's own rules
            } catch (IllegalArgumentException e) {
                throw new IOException(where + " (" + cells[0] + "): " + e.getMessage());
            }
            shapes.add(shape);
        }
        if (shapes.isEmpty()) {
            throw new IOException(source + ": no shapes after the header");
        }
        return shapes;
    }
}
