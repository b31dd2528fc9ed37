package org.iotpipeline.gateway.auth;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Manages the gateway's key file from the command line:
 * <pre>
 * ApiKeysMain add &lt;key id&gt; &lt;device ids&gt; [--file &lt;path&gt;]   prints the new token once
 * ApiKeysMain revoke &lt;key id&gt; [--file &lt;path&gt;]
 * ApiKeysMain list [--file &lt;path&gt;]
 * </pre>
 * The file defaults to {@code event-gateway.auth.keys-file} (env {@code GATEWAY_KEYS_FILE}). A
 * running gateway picks changes up within {@code auth.reload-interval}.
 */
public final class ApiKeysMain {

    static final int EXIT_OK = 0;
    static final int EXIT_ERROR = 1;
    static final int EXIT_USAGE = 2;

    private static final String USAGE = """
            usage: ApiKeysMain add <key id> <device ids> [--file <path>]   add a key; prints its token once
                   ApiKeysMain revoke <key id> [--file <path>]             remove a key
                   ApiKeysMain list [--file <path>]                        key ids and their devices
              <key id>: 1-64 of A-Z a-z 0-9 _ -    <device ids>: * or ids and ranges, e.g. 0-99,150
              --file defaults to event-gateway.auth.keys-file (GATEWAY_KEYS_FILE)""";

    private ApiKeysMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; the token (add) is the only thing written to {@code out}. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>();
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--file") && i + 1 < args.length) {
                file = Path.of(args[++i]);
            } else {
                words.add(args[i]);
            }
        }
        if (file == null) {
            file = Path.of(ConfigFactory.load().getString("event-gateway.auth.keys-file"));
        }
        KeyFileEditor editor = new KeyFileEditor(file, new SecureRandom());
        try {
            String command = words.isEmpty() ? "" : words.get(0);
            if (command.equals("add") && words.size() == 3) {
                String token = editor.add(words.get(1), DeviceRanges.parse(words.get(2)));
                out.println(token);
                err.println("Added key " + words.get(1) + " for devices " + DeviceRanges.parse(words.get(2)) + " to "
                        + file.toAbsolutePath() + ". The token above is shown once; only its hash is stored.");
                return EXIT_OK;
            }
            if (command.equals("revoke") && words.size() == 2) {
                if (!editor.revoke(words.get(1))) {
                    err.println("No key " + words.get(1) + " in " + file.toAbsolutePath());
                    return EXIT_ERROR;
                }
                err.println("Revoked key " + words.get(1) + " in " + file.toAbsolutePath());
                return EXIT_OK;
            }
            if (command.equals("list") && words.size() == 1) {
                editor.list().all().forEach(key -> out.println(key.id() + " " + key.devices()));
                return EXIT_OK;
            }
            err.println(USAGE);
            return EXIT_USAGE;
        } catch (IllegalArgumentException e) {
            err.println("ERROR: " + e.getMessage());
            return EXIT_USAGE;
        } catch (KeyFileException | IOException e) {
            err.println("ERROR: " + e.getMessage());
            return EXIT_ERROR;
        }
    }
}
