"""Stage 'explore': one self-contained HTML page per spec (`symcnn explore`), its values
computed in the browser by JavaScript generated from the same trace and reverse-mode
program every backend runs.

May import: model, files, symbolic, prove, numeric, typeset (and errors, limits)."""
