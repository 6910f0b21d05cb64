"""The graph stage: files -> dataset (load), validation, dumps + VoID (build), formats, docs, stats, synth."""
