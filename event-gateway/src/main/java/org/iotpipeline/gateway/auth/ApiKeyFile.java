package org.iotpipeline.gateway.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The key file the operator manages: UTF-8 text, one key per line,
 * <pre>&lt;key id&gt;:sha256:&lt;base64url SHA-256 of "&lt;key id&gt;.&lt;secret&gt;"&gt;:&lt;device ids&gt;</pre>
 * where device ids are {@code *} or comma-separated ids and ranges ({@code 0-99,150}). Blank lines
 * and lines starting with {@code #} are ignored. It holds no secrets, only their hashes, but who
 * may edit it decides who may write data: keep it writable by the operator only.
 */
public final class ApiKeyFile {

    static final String ALGORITHM = "sha256";

    private ApiKeyFile() {
    }

    /** Reads and checks the whole file; any bad line fails it all (naming the line). */
    public static ApiKeys read(Path file) throws KeyFileException {
        return parse(readLines(file), file.toString());
    }

    /** Parses the lines of a key file; {@code source} names it in messages. */
    public static ApiKeys parse(List<String> lines, String source) throws KeyFileException {
        List<ApiKey> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                keys.add(parseLine(line));
            } catch (IllegalArgumentException e) {
                throw new KeyFileException(source + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        try {
            return new ApiKeys(keys);
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(source + ": " + e.getMessage(), e);
        }
    }

    /** The line that stores {@code key}. */
    public static String line(ApiKey key) {
        return key.id() + ":" + ALGORITHM + ":" + KeyHashing.encode(key.hash()) + ":" + key.devices();
    }

    /** The file's lines as they are (comments too); no file reads as no lines. */
    static List<String> readLines(Path file) throws KeyFileException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KeyFileException("cannot read the key file " + file.toAbsolutePath() + ": " + e, e);
        }
    }

    /**
     * Replaces the file's content atomically (a temporary file in the same directory, then a
     * rename), so the gateway's reload never sees half a file. New files are made owner-only.
     */
    static void writeLines(Path file, List<String> lines) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path directory = Objects.requireNonNull(absolute.getParent(), "a key file needs a directory");
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, "." + absolute.getFileName(), ".tmp");
        try {
            restrictToOwner(temp);
            Files.write(temp, lines, StandardCharsets.UTF_8);
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void restrictToOwner(Path path) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static ApiKey parseLine(String line) {
        String[] fields = line.split(":", -1);
        if (fields.length != 4) {
            throw new IllegalArgumentException("expected <key id>:" + ALGORITHM + ":<hash>:<device ids>, got "
                    + fields.length + " colon-separated fields");
        }
        String id = fields[0].strip();
        if (!fields[1].strip().equals(ALGORITHM)) {
            throw new IllegalArgumentException("key " + id + ": unknown hash algorithm \"" + fields[1].strip()
                    + "\"; only " + ALGORITHM + " is supported");
        }
        byte[] hash;
        try {
            hash = KeyHashing.decode(fields[2].strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key " + id + ": the hash is not base64url (" + e.getMessage() + ")", e);
        }
        return new ApiKey(id, hash, DeviceRanges.parse(fields[3]));
    }
}
