package org.ccmledger.platform.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reference files uploaded by an operator (a CMS relative value file, an ICD-10-CM code file): larger than the 64 KB
 * the JSON API accepts, so read here from the raw body with their own limit, as sent or gzip-compressed.
 */
public final class Uploads {

    /** The largest upload, compressed or not, and the largest it may grow to when decompressed. */
    public static final int MAX_BYTES = 32 * 1024 * 1024;

    private Uploads() {
    }

    /** The body's bytes; 413 over {@link #MAX_BYTES}, 400 when empty. */
    public static Mono<byte[]> bytes(Flux<DataBuffer> body) {
        return DataBufferUtils.join(body, MAX_BYTES)
                              .map(buffer -> {
                                  byte[] bytes = new byte[buffer.readableByteCount()];
                                  buffer.read(bytes);
                                  DataBufferUtils.release(buffer);
                                  return bytes;
                              })
                              .filter(bytes -> bytes.length > 0)
                              .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
                                                                                          "the file is empty")))
                              .onErrorMap(DataBufferLimitException.class,
                                          e -> new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE,
                                                                           "the file is larger than 32 MB"));
    }

    /** The file's content: decompressed when it is gzip (by its magic bytes), else as sent. Blocking: not on the loop. */
    public static InputStream content(byte[] upload) throws IOException {
        if (upload.length > 2 && (upload[0] & 0xff) == 0x1f && (upload[1] & 0xff) == 0x8b) {
            return new BoundedInputStream(new GZIPInputStream(new ByteArrayInputStream(upload)), MAX_BYTES);
        }
        return new ByteArrayInputStream(upload);
    }

    /** Stops a decompressed stream that grows past the limit (a zip bomb). */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) throws IOException {
            left -= n;
            if (left < 0) {
                throw new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, "the file decompresses to over 32 MB");
            }
        }
    }
}
