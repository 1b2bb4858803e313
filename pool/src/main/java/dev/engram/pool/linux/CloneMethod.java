package dev.engram.pool.linux;

/** How {@link Reflink#cloneFile} produced the copy (DESIGN.md §2.3), fastest first. */
public enum CloneMethod {
    /** FICLONE: the copy shares every extent with the source, copy-on-write; instant, no space used. */
    REFLINK,
    /** copy_file_range(2): the kernel copied the bytes (possibly server-side or with its own sharing). */
    COPY_FILE_RANGE,
    /** A plain read/write copy through file channels. */
    COPY
}
