package org.ccmledger.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ccmledger.ledger.AuditorTools.available;
import static org.ccmledger.ledger.AuditorTools.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.ccmledger.ledger.AuditorTools;
import org.ccmledger.ledger.LedgerDigests;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;


/**
 * Digests over HTTP: they chain, they are signed with the published key, and checking one against today's ledger
 * shows a tampering that happened after it, while a digest taken after the tampering seals the tampered ledger
 * (which is why digests must also be kept outside the database). Every tampering is undone at the end of its test.
 */
class LedgerDigestsHttpTest extends IntegrityHttpSupport {

    @TempDir
    Path dir;

    @Test
    @DisplayName("Digests chain (each names the SHA-256 of the previous one's canonical text) and verify with the "
            + "published key")
    void digestsChainAndAreSignedWithThePublishedKey() throws Exception {
        patientWithEvents();
        Map<String, Object> first = seal();
        Map<String, Object> second = seal();

        assertThat(number(second.get("sequence"))).isEqualTo(number(first.get("sequence")) + 1);
        assertThat(second.get("previousDigest")).isEqualTo(sha256Hex(canonicalText(first)));
        assertThat(first.get("signedText")).isEqualTo(canonicalText(first));
        assertThat(number(second.get("sealedUpTo"))).isGreaterThanOrEqualTo(number(first.get("sealedUpTo")));

        Map<String, Object> key = getJson("/api/v1/ledger/public-key");
        PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                Base64.getMimeDecoder().decode(((String) key.get("publicKeyPem"))
                                                       .replaceAll("-----[A-Z ]+-----", ""))));
        assertThat(key).containsEntry("algorithm", "Ed25519")
                       .containsEntry("keyId", HexFormat.of().formatHex(sha256(publicKey.getEncoded())));
        for (Map<String, Object> digest : List.of(first, second)) {
            assertThat(digest).containsEntry("keyId", key.get("keyId"));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(canonicalText(digest).getBytes(StandardCharsets.UTF_8));
            assertThat(verifier.verify(Base64.getDecoder().decode((String) digest.get("signature")))).isTrue();
            assertThat(digestVerification(digest.get("sequence"))).containsEntry("valid", true)
                                                                  .containsEntry("problems", List.of());
        }
    }

    @Test
    @DisplayName("Taking a digest answers 201 with its location; the list is newest first and pages with a cursor")
    void digestsAreListedNewestFirst() {
        client().post().uri("/api/v1/ledger/digests").exchange()
                .expectStatus().isCreated()
                .expectHeader().value("Location", location -> assertThat(location)
                        .matches("/api/v1/ledger/digests/\\d+"));
        seal();
        long latest = number(seal().get("sequence"));

        Map<String, Object> page = getJson("/api/v1/ledger/digests?limit=2");
        assertThat(list(page.get("digests"))).extracting(d -> number(map(d).get("sequence")))
                                             .containsExactly(latest, latest - 1);
        assertThat(number(page.get("nextCursor"))).isEqualTo(latest - 2);

        Map<String, Object> older = getJson("/api/v1/ledger/digests?limit=2&cursor=" + page.get("nextCursor"));
        assertThat(number(map(list(older.get("digests")).get(0)).get("sequence"))).isEqualTo(latest - 2);
        assertThat(getJson("/api/v1/ledger/digests/" + latest)).containsEntry("sequence", (int) latest);
    }

    @Test
    @DisplayName("A digest taken before a tampering no longer verifies and points at the changed event; "
            + "one taken after it verifies, since it sealed the tampered ledger")
    void aDigestTakenBeforeATamperingNoLongerVerifies() {
        String patient = patientWithEvents();
        long consent = globalIndex(patient, 1);
        Map<String, Object> before = seal();
        Object after;

        try (Tampering tampering = new Tampering(ledger.events())) {
            tampering.set(consent, "payload", otherConsentTaker(event(patient, 1).getString("payload")));
            after = seal().get("sequence");

            Map<String, Object> stale = digestVerification(before.get("sequence"));
            assertThat(stale).containsEntry("valid", false);
            assertThat(list(stale.get("problems"))).containsExactly("MERKLE_ROOT_MISMATCH");
            assertThat(map(stale.get("signature"))).containsEntry("valid", true);
            assertThat(map(stale.get("merkleRoot"))).containsEntry("recorded", before.get("merkleRoot"))
                                                    .containsEntry("match", false);
            Map<String, Object> where = map(stale.get("localisation"));
            assertBreak(where.get("firstBreak"), consent, streamKey(patient, 1), "HASH_MISMATCH");
            assertThat(number(where.get("unchangedUpTo"))).isLessThan(consent);
            // an auditor of another practice learns where, not whose stream
            assertBreak(map(asAuditorOf("p-elsewhere", "/api/v1/ledger/digests/" + before.get("sequence")
                    + "/verification").get("localisation")).get("firstBreak"), consent, null, "HASH_MISMATCH");

            assertThat(digestVerification(after)).as("the digest sealed the tampered ledger")
                                                 .containsEntry("valid", true);
        }

        assertThat(digestVerification(before.get("sequence"))).containsEntry("valid", true);
        Map<String, Object> restored = digestVerification(after);
        assertThat(list(restored.get("problems"))).containsExactly("MERKLE_ROOT_MISMATCH");
        assertThat(number(map(restored.get("localisation")).get("unchangedUpTo")))
                .as("the digest before still matches: the difference lies above it")
                .isGreaterThanOrEqualTo(number(before.get("sealedUpTo")));
    }

    @Test
    @DisplayName("An aggregate's last event rewritten and re-hashed no longer ends where its head says; with the head "
            + "rewritten too it passes every chain, but not the digest, which locates it")
    void aRewrittenAndRehashedLastEventIsCaughtByItsStreamsHeadAndLocatedByTheDigest() {
        String patient = patientWithEvents();
        long last = globalIndex(patient, 3);
        Map<String, Object> before = seal();

        try (Tampering tampering = new Tampering(ledger.events());
             Tampering heads = new Tampering(ledger.streamHeads())) {
            tampering.rewriteAndRehash(last, event(patient, 3).getString("payload")
                                                              .replace("\"minutes\":14", "\"minutes\":44"));

            assertBreak(map(ledgerVerification()).get("firstBreak"), last, "a:p-int/" + patient + "#3",
                        "HEAD_MISMATCH");
            Map<String, Object> stale = digestVerification(before.get("sequence"));
            assertThat(list(stale.get("problems"))).containsExactly("MERKLE_ROOT_MISMATCH", "HEADS_ROOT_MISMATCH");
            assertBreak(map(stale.get("localisation")).get("firstChange"), last, "a:p-int/" + patient + "#3",
                        "SEALED_CONTENT_CHANGED");

            // the head record rewritten too: the chains and heads agree again, the digests do not
            heads.set("p-int/" + patient, "hash", event(patient, 3).getString("hash"));
            assertThat(ledgerVerification()).as("chains and heads cannot see it").containsEntry("intact", true);
            assertThat(digestVerification(before.get("sequence"))).containsEntry("valid", false);
            assertBreak(map(digestVerification(before.get("sequence")).get("localisation")).get("firstChange"), last,
                        "a:p-int/" + patient + "#3", "SEALED_CONTENT_CHANGED");
        }
        assertThat(digestVerification(before.get("sequence"))).containsEntry("valid", true);
    }

    @Test
    @DisplayName("A deleted event: the digest that sealed it names the empty slot, and no new digest seals over it")
    void aDeletedEventIsNamedByTheDigestThatSealedIt() {
        String patient = patientWithEvents();
        long consent = globalIndex(patient, 1);
        Map<String, Object> before = seal();

        try (Tampering tampering = new Tampering(ledger.events())) {
            tampering.delete(consent);

            Map<String, Object> stale = digestVerification(before.get("sequence"));
            assertThat(list(stale.get("problems"))).containsExactly("SEALED_SLOT_EMPTY");
            Map<String, Object> where = map(stale.get("localisation"));
            assertThat(number(where.get("firstEmptySlot"))).isEqualTo(consent);
            assertBreak(where.get("firstBreak"), consent, null, "MISSING_EVENT");

            client().post().uri("/api/v1/ledger/digests").exchange()
                    .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                    .expectBody().jsonPath("$.code").isEqualTo("SEALED_SLOT_EMPTY");
        }
        assertThat(digestVerification(before.get("sequence"))).containsEntry("valid", true);
    }

    @Test
    @DisplayName("A forged digest record (its root changed in the database) fails its signature and its chain link")
    void aForgedDigestFailsItsSignature() {
        patientWithEvents();
        Map<String, Object> forged = seal();
        Map<String, Object> next = seal();

        try (Tampering tampering = new Tampering(ledger.digests())) {
            tampering.set(number(forged.get("sequence")), "merkleRoot", "0".repeat(64));

            Map<String, Object> verification = digestVerification(forged.get("sequence"));
            assertThat(verification).containsEntry("valid", false);
            assertThat(list(verification.get("problems"))).contains("SIGNATURE_INVALID", "NEXT_DIGEST_MISMATCH");
            assertThat(map(verification.get("signature"))).containsEntry("keyKnown", true)
                                                          .containsEntry("valid", false);
            assertThat(list(digestVerification(next.get("sequence")).get("problems")))
                    .containsExactly("PREVIOUS_DIGEST_MISMATCH");
        }
        assertThat(digestVerification(forged.get("sequence"))).containsEntry("valid", true);
    }

    @Test
    @DisplayName("An unknown digest is a 404; a malformed sequence, cursor or limit is a 400")
    void badDigestRequestsAreProblems() {
        client().get().uri("/api/v1/ledger/digests/999999999/verification").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("UNKNOWN_DIGEST");
        client().get().uri("/api/v1/ledger/digests/999999999").exchange().expectStatus().isNotFound();
        for (String uri : List.of("/api/v1/ledger/digests/abc/verification", "/api/v1/ledger/digests/0",
                                  "/api/v1/ledger/digests?limit=0", "/api/v1/ledger/digests?limit=501",
                                  "/api/v1/ledger/digests?cursor=-3")) {
            client().get().uri(uri).exchange()
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.code").isEqualTo("INVALID_PARAMETER");
        }
    }

    @Test
    @DisplayName("An auditor checks a digest's signature with openssl, from the key and digest the API serves")
    void anAuditorVerifiesTheSignatureWithOpenssl() throws Exception {
        Assumptions.assumeTrue(available("openssl", "version"), "openssl is needed for the auditor's check");
        Map<String, Object> digest = seal();
        String pem = client().get().uri("/api/v1/ledger/public-key")
                             .accept(MediaType.parseMediaType("application/x-pem-file")).exchange()
                             .expectStatus().isOk()
                             .expectBody(String.class).returnResult().getResponseBody();
        Path key = Files.writeString(dir.resolve("key.pem"), pem);
        Path text = Files.writeString(dir.resolve("digest.txt"), canonicalText(digest));
        Path signature = Files.write(dir.resolve("sig.bin"), Base64.getDecoder().decode((String) digest.get("signature")));
        Path forged = Files.writeString(dir.resolve("forged.txt"),
                                        canonicalText(digest).replace("sealedUpTo:", "sealedUpTo:9"));

        assertThat(run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", key.toString(), "-rawin",
                       "-in", text.toString(), "-sigfile", signature.toString()))
                .isEqualTo("Signature Verified Successfully");
        assertThat(run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", key.toString(), "-rawin",
                       "-in", forged.toString(), "-sigfile", signature.toString()))
                .contains("Signature Verification Failure");

        Path der = dir.resolve("key.der");
        run("openssl", "pkey", "-pubin", "-in", key.toString(), "-outform", "DER", "-out", der.toString());
        assertThat(HexFormat.of().formatHex(sha256(Files.readAllBytes(der)))).isEqualTo(digest.get("keyId"));
    }

    @Test
    @DisplayName("The jq command docs/ledger.md gives rebuilds the signed text from the digest the API serves")
    void theDocumentedJqCommandRebuildsTheSignedText() throws Exception {
        Assumptions.assumeTrue(available("jq", "--version"), "jq is needed for the auditor's check");
        Map<String, Object> digest = seal();
        String json = client().get().uri("/api/v1/ledger/digests/" + digest.get("sequence")).exchange()
                              .expectStatus().isOk()
                              .expectBody(String.class).returnResult().getResponseBody();
        Files.writeString(dir.resolve("digest.json"), json);
        String command = Files.readAllLines(Path.of("docs", "ledger.md")).stream().map(String::strip)
                              .filter(line -> line.startsWith("jq -j ") && line.endsWith("> digest.txt"))
                              .findFirst().orElseThrow(() -> new AssertionError("docs/ledger.md lost the jq step"));

        assertThat(runIn(command)).isEqualTo(digest.get("signedText"))
                                  .startsWith("ccm-ledger/digest/v2\n")
                                  .contains("\nheadsRoot:" + digest.get("headsRoot"));

        // a digest taken before v2 has no headsRoot: the same command gives its v1 text
        Files.writeString(dir.resolve("digest.json"), json.replaceFirst("\"headsRoot\":\"[0-9a-f]{64}\",", ""));
        assertThat(runIn(command)).isEqualTo(new LedgerDigests.Digest(
                ((Number) digest.get("sequence")).longValue(), ((Number) digest.get("sealedUpTo")).longValue(),
                ((Number) digest.get("eventCount")).longValue(), (String) digest.get("merkleRoot"),
                (String) digest.get("previousDigest"), (String) digest.get("createdAt"), (String) digest.get("keyId"),
                (String) digest.get("signature")).canonicalText()).startsWith("ccm-ledger/digest/v1\n");
    }

    /** Runs a shell command in the test's directory and answers the digest.txt it wrote. */
    private String runIn(String command) throws Exception {
        Process shell = new ProcessBuilder("bash", "-c", command).directory(dir.toFile()).redirectErrorStream(true)
                                                                   .start();
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor()).as(output).isZero();
        return Files.readString(dir.resolve("digest.txt"));
    }

    @Test
    @DisplayName("An auditor recomputes a digest's Merkle root and heads root from an export with docs/verify-digest.py")
    void anAuditorRecomputesTheRootWithTheScript() throws Exception {
        Assumptions.assumeTrue(available("python3", "--version"), "python3 is needed to run the auditor's script");
        patientWithEvents();
        Map<String, Object> digest = seal();
        Path export = AuditorTools.exportEvents(ledger.events(), dir);

        String output = run("python3", Path.of("docs", "verify-digest.py").toString(), export.toString(),
                            digest.get("sealedUpTo").toString(), (String) digest.get("merkleRoot"),
                            (String) digest.get("headsRoot"));

        assertThat(output).isEqualTo("merkleRoot:" + digest.get("merkleRoot") + "\n"
                                             + "eventCount:" + digest.get("eventCount") + "\n"
                                             + "headsRoot:" + digest.get("headsRoot") + "\n"
                                             + "OK: the root matches the digest");
    }

    /** The canonical text, rebuilt from the digest's fields as docs/ledger.md tells an auditor to. */
    static String canonicalText(Map<String, Object> d) {
        return "ccm-ledger/digest/v2\n"
                + "sequence:" + d.get("sequence") + "\n"
                + "sealedUpTo:" + d.get("sealedUpTo") + "\n"
                + "eventCount:" + d.get("eventCount") + "\n"
                + "merkleRoot:" + d.get("merkleRoot") + "\n"
                + "headsRoot:" + d.get("headsRoot") + "\n"
                + "previousDigest:" + d.get("previousDigest") + "\n"
                + "createdAt:" + d.get("createdAt") + "\n"
                + "keyId:" + d.get("keyId") + "\n";
    }

    private static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
