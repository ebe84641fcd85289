// The console's only script: live progress for the ledger's verification. Without it the form opens the report page.
(function () {
    'use strict';
    document.addEventListener('DOMContentLoaded', function () {
        var form = document.getElementById('verify-form');
        if (!form || !window.fetch || !window.TextDecoder || !window.ReadableStream) {
            return;
        }
        var progress = document.getElementById('verify-progress');
        var status = document.getElementById('verify-status');
        var button = document.getElementById('verify');
        form.addEventListener('submit', function (event) {
            event.preventDefault();
            button.disabled = true;
            progress.hidden = false;
            status.textContent = 'Checking the ledger…';
            fetch('/console/ledger/verification.ndjson', {headers: {'Accept': 'application/x-ndjson'},
                                                         credentials: 'same-origin'})
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error('the service answered ' + response.status);
                    }
                    return read(response.body.getReader(), new TextDecoder(), '');
                })
                .catch(function (error) {
                    status.textContent = 'The check did not finish: ' + error.message;
                })
                .then(function () {
                    button.disabled = false;
                    progress.hidden = true;
                });
        });

        function read(reader, decoder, buffer) {
            return reader.read().then(function (chunk) {
                if (chunk.done) {
                    return;
                }
                buffer += decoder.decode(chunk.value, {stream: true});
                var newline;
                while ((newline = buffer.indexOf('\n')) >= 0) {
                    var line = buffer.slice(0, newline).trim();
                    buffer = buffer.slice(newline + 1);
                    if (line) {
                        show(JSON.parse(line));
                    }
                }
                return read(reader, decoder, buffer);
            });
        }

        function show(line) {
            if (line.type === 'progress') {
                status.textContent = 'Checked up to global index ' + line.checkedUpTo + ' (' + line.eventsChecked
                                     + ' events)…';
            } else if (line.type === 'report') {
                status.textContent = line.intact
                    ? 'Intact: ' + line.eventsChecked + ' events checked, up to global index ' + line.highestIndex + '.'
                    : 'Broken at ' + line.firstBreak + ' (' + line.eventsChecked + ' events checked).';
                status.setAttribute('data-result', line.intact ? 'intact' : 'broken');
            }
        }
    });
}());
