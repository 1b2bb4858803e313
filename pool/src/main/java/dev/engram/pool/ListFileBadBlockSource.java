package dev.engram.pool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bad ranges read from a text file: one {@code offset length} pair per line, in pool-file bytes,
 * decimal or {@code 0x} hex; {@code #} starts a comment; blank lines are ignored. For tests (media
 * errors without hardware) and for operators who know ranges the kernel does not report.
 */
public final class ListFileBadBlockSource implements BadBlockSource {
    private final Path listFile;

    /**
     * A source reading {@code listFile} on every call.
     *
     * @param listFile the list of bad ranges
     */
    public ListFileBadBlockSource(Path listFile) {
        this.listFile = listFile;
    }

    /**
     * The list's ranges, whatever {@code poolFile} is: the list already speaks in file offsets.
     *
     * @throws InvalidOptionException naming the list file and line number for a malformed line
     */
    @Override
    public List<BadRange> badRanges(Path poolFile) throws IOException {
        List<String> lines = Files.readAllLines(listFile, StandardCharsets.UTF_8);
        List<BadRange> ranges = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            BadRange r = parseLine(lines.get(i), i + 1);
            if (r != null) {
                ranges.add(r);
            }
        }
        return BadRanges.normalize(ranges);
    }

    private BadRange parseLine(String raw, int lineNo) {
        int hash = raw.indexOf('#');
        String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
        if (line.isEmpty()) {
            return null;
        }
        String[] fields = line.split("\\s+");
        if (fields.length != 2) {
            throw bad(lineNo, raw, "expected 'offset length'");
        }
        long offset = number(fields[0], lineNo, raw);
        long length = number(fields[1], lineNo, raw);
        try {
            return new BadRange(offset, length);
        } catch (IllegalArgumentException e) {
            throw bad(lineNo, raw, "offset must be >= 0, length > 0, and their sum must fit in 63 bits");
        }
    }

    private long number(String text, int lineNo, String raw) {
        try {
            boolean hex = text.startsWith("0x") || text.startsWith("0X");
            return hex ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw bad(lineNo, raw, "'" + text + "' is not a decimal or 0x-hex number");
        }
    }

    private InvalidOptionException bad(int lineNo, String raw, String why) {
        return new InvalidOptionException("bad-block list " + listFile + " line " + lineNo + ": " + why
                + ", got '" + raw.strip() + "'");
    }
}
