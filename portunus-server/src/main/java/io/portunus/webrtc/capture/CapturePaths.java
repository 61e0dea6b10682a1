package io.portunus.webrtc.capture;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Confines capture files to one root folder (Portunus's {@code general.captures_folder}), which
 * Janus does not: a {@code folder} is taken relative to the root; an absolute one must lie
 * inside it; {@code ..} is refused outright; every existing folder on the way must really be a
 * folder inside the root (a symbolic link leading out is refused); Janus's
 * {@code protected_folders} are refused too; the file must not exist yet (it is created with
 * {@code O_EXCL}, so a link planted in its place is refused as well).
 */
public final class CapturePaths {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Why a capture could not start; the message is meant for the Admin API caller. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /** A file just created for a capture, and its channel. */
    public record Opened(Path file, FileChannel channel) {
    }

    private final Path root;
    private final List<Path> protectedFolders;
    /** How refusals name the root ("capture root", "recordings root"). */
    private final String rootName;

    public CapturePaths(Path root, List<String> protectedFolders) {
        this(root, protectedFolders, "capture root");
    }

    public CapturePaths(Path root, List<String> protectedFolders, String rootName) {
        this.rootName = rootName;
        this.root = root.toAbsolutePath().normalize();
        List<Path> list = new ArrayList<>();
        for (String p : protectedFolders == null ? List.<String>of() : protectedFolders) {
            if (p != null && !p.isBlank()) {
                try {
                    list.add(Path.of(p).toAbsolutePath().normalize());
                } catch (InvalidPathException e) {
                    // a name that cannot be a path protects nothing
                }
            }
        }
        this.protectedFolders = List.copyOf(list);
    }

    public Path root() {
        return root;
    }

    /** Creates the capture file; {@code folder} and {@code filename} as given in the request (may be null). */
    public Opened create(String folder, String filename, CaptureFormat format) throws Refused {
        Path dir = folder(folder);
        String name = filename == null || filename.isEmpty()
                ? "janus-text2pcap-" + Integer.toUnsignedString(RANDOM.nextInt()) + "." + format.extension()
                : filename;
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0
                || name.equals(".") || name.equals("..")) {
            throw new Refused("filename '" + name + "' must be a plain file name");
        }
        Path file = dir.resolve(name);
        checkProtected(file, file.toString());
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            return new Opened(file, ch);
        } catch (FileAlreadyExistsException e) {
            throw new Refused("file " + file + " already exists");
        } catch (IOException | UnsupportedOperationException e) {
            throw new Refused("cannot create " + file + " (" + e.getMessage() + ")");
        }
    }

    /**
     * Checks a folder as a request names it, without touching the disk: no {@code ..}, relative to
     * the root or absolute inside it, not protected. Returns where it lies.
     */
    public Path check(String folder) throws Refused {
        return check(folder, root);
    }

    private Path check(String folder, Path realRoot) throws Refused {
        checkProtected(root, root.toString());
        if (folder == null || folder.isEmpty()) {
            return root;
        }
        if (folder.indexOf('\0') >= 0) {
            throw new Refused("folder contains a NUL character");
        }
        for (String part : folder.split("[/\\\\]")) {
            if (part.equals("..")) {
                throw new Refused("'..' is not allowed in folder '" + folder + "'");
            }
        }
        Path asked;
        try {
            asked = Path.of(folder);
        } catch (InvalidPathException e) {
            throw new Refused("folder '" + folder + "' is not a valid path");
        }
        Path target;
        if (asked.isAbsolute()) {
            target = asked.normalize();
            if (!target.startsWith(root) && !target.startsWith(realRoot)) {
                throw new Refused("folder " + target + " is outside the " + rootName + " " + root);
            }
        } else {
            target = root.resolve(asked).normalize();
        }
        checkProtected(target, folder);
        return target;
    }

    /** The folder for a capture, created (0755) inside the root when missing. */
    public Path folder(String folder) throws Refused {
        Path realRoot;
        try {
            mkdirs(root);
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new Refused("cannot create the " + rootName + " " + root + " (" + e.getMessage() + ")");
        }
        if (folder == null || folder.isEmpty()) {
            checkProtected(root, root.toString());
            return root;
        }
        Path target = check(folder, realRoot);
        // Walk down from the root: every step that exists must be a real folder inside the root.
        Path base = target.startsWith(root) ? root : realRoot;
        Path cur = base;
        for (Path part : base.relativize(target)) {
            cur = cur.resolve(part);
            try {
                if (Files.exists(cur, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(cur)) {
                    Path real = cur.toRealPath();
                    if (!real.startsWith(realRoot)) {
                        throw new Refused("folder " + cur + " leads outside the " + rootName + " " + root + " (to " + real + ")");
                    }
                    if (!Files.isDirectory(real)) {
                        throw new Refused(cur + " is not a folder");
                    }
                    checkProtected(real, folder);
                } else {
                    mkdir(cur);
                }
            } catch (IOException e) {
                throw new Refused("cannot create folder " + cur + " (" + e.getMessage() + ")");
            }
        }
        try {
            Path real = target.toRealPath();
            if (!real.startsWith(realRoot)) {
                throw new Refused("folder " + target + " leads outside the " + rootName + " " + root);
            }
            return real;
        } catch (IOException e) {
            throw new Refused("cannot use folder " + target + " (" + e.getMessage() + ")");
        }
    }

    private void checkProtected(Path p, String asked) throws Refused {
        for (Path pf : protectedFolders) {
            if (p.startsWith(pf)) {
                throw new Refused("'" + asked + "' is in a protected folder (" + pf + ")");
            }
        }
    }

    private static void mkdirs(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            return;
        }
        Path parent = p.getParent();
        if (parent != null) {
            mkdirs(parent);
        }
        mkdir(p);
    }

    private static void mkdir(Path p) throws IOException {
        try {
            Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(p);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(p)) {
                throw e;
            }
        }
    }
}
