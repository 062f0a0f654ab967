#!/usr/bin/env python3
"""Picks a small committed corpus from many candidate inputs (used by scripts/fuzz.sh --grow).

usage: trim-corpus.py CONTROL_FILE CORPUS_DIR MAX_FILES

CONTROL_FILE is a libFuzzer merge control file (`-merge=1 -merge_control_file=...`) listing the
candidates and the coverage edges each one reaches ("COV <index> <edges...>"). Greedy set cover
over edges: keep every seed-* file, then repeatedly add the candidate that reaches the most edges
not reached yet, until MAX_FILES or nothing new. CORPUS_DIR's other files are replaced.
"""
import os
import shutil
import sys

control, corpus, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(control, encoding="utf-8", errors="replace") as f:
    lines = f.read().splitlines()
count = int(lines[0])
files = lines[2:2 + count]
edges = {}
for line in lines[2 + count:]:
    if line.startswith("COV "):
        parts = line.split()
        edges[int(parts[1])] = set(parts[2:])

data = {}
for index, path in enumerate(files):
    with open(path, "rb") as f:
        data[index] = (os.path.basename(path), f.read())

# The hand-made seeds (seed-* in CORPUS_DIR) are always kept, under their names; the merge that
# made the candidates renamed them to their SHA-1, so they are matched by content.
seeds = {}
for name in sorted(os.listdir(corpus)):
    if name.startswith("seed-"):
        with open(os.path.join(corpus, name), "rb") as f:
            seeds[f.read()] = name

chosen, covered = [], set()
for index, (name, content) in data.items():
    if content in seeds:
        data[index] = (seeds[content], content)
        chosen.append(index)
        covered |= edges.get(index, set())
kept_seeds = {data[i][1] for i in chosen}
for content, name in seeds.items():  # a seed the candidates lack: keep it anyway
    if content not in kept_seeds:
        data[-len(data) - 1] = (name, content)
        chosen.append(-len(data))
candidates = {i for i in data if i not in chosen}
while len(chosen) < limit and candidates:
    best = max(candidates, key=lambda i: (len(edges.get(i, set()) - covered), -len(data[i][1])))
    gain = edges.get(best, set()) - covered
    if not gain:
        break
    chosen.append(best)
    covered |= gain
    candidates.discard(best)

staging = corpus.rstrip("/") + ".new"
shutil.rmtree(staging, ignore_errors=True)
os.makedirs(staging)
for index in chosen:
    name, content = data[index]
    with open(os.path.join(staging, name), "wb") as f:
        f.write(content)
all_edges = set().union(*edges.values()) if edges else set()
shutil.rmtree(corpus)
os.rename(staging, corpus)
print(f"kept {len(chosen)} of {len(files)} inputs, reaching {len(covered)} of {len(all_edges)} edges")
