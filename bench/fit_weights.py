#!/usr/bin/env python3
"""Fits the signal weights of duiqi by coordinate descent on strict F1 of MAC-Dev and
Bible 001, plus half the seed's (so that names and numbers, rare in those two, keep
their weight). Prints the best `--weights`
spec after each improvement; paste the final values into `Weights::default()`
(crates/duiqi/src/score/combine.rs) and START below (which holds the current defaults).

With --neural MODEL_FILE it fits only the neural weights (the token signal's weight and
neutral value) on MAC-Dev and Bible 001, aligning with the model; the encoder's token
states are cached in the fit's scratch directory so each text is encoded once. With
--encoder muse as well, it fits the mUSE signal's weight and the two structural costs on
MAC-Dev, Bible 001 and half the seed.

usage: bench/fit_weights.py [--start SPEC] [--rounds 3] [--shared ../shared] [--neural MODEL_FILE [--encoder muse]]"""
import argparse, os, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEURAL_PARAMS = ["tokens", "tokens.neutral"]
NEURAL_START = {"tokens": 2.0, "tokens.neutral": 0.15}
MUSE_PARAMS = ["muse", "merge", "skip"]
MUSE_START = {"muse": 4.0, "merge": 0.6, "skip": 1.2}
PARAMS = ["lexicon", "lexicon.neutral", "learned", "learned.neutral", "length", "length.neutral", "names",
          "names.neutral", "numbers", "numbers.neutral", "punctuation", "punctuation.neutral", "clauses", "clauses.neutral",
          "merge", "skip", "run", "size", "sizemean", "lenvar", "clausevar"]
START = {"lexicon": 1.875, "lexicon.neutral": 0.094, "learned": 1.125, "learned.neutral": 0.0, "length": 0.5,
         "length.neutral": 0.6, "names": 0.3, "names.neutral": 0.25, "numbers": 0.45, "numbers.neutral": 0.5,
         "punctuation": 0.6, "punctuation.neutral": 0.3, "clauses": 0.8, "clauses.neutral": 0.6, "merge": 0.3,
         "skip": 0.6, "run": 0.25, "size": 0.5, "sizemean": -1.0, "lenvar": 2.8, "clausevar": 2.0}


def spec(params):
    return ",".join(f"{k}={v:.4g}" for k, v in params.items())


def evaluate(params, binary, data, tmp, model=None, encoder=None):
    env = dict(os.environ)
    model_args = ["--model", model] if model else ["--no-model"]
    model_args += ["--encoder", encoder] if encoder else []
    if model:
        env["DUIQI_ENCODER_CACHE"] = os.path.join(tmp, "encoder")
    scores = []
    mac = os.path.join(data, "mac-dev")
    out = os.path.join(tmp, "mac")
    os.makedirs(out, exist_ok=True)
    for i in sorted(f[:-6] for f in os.listdir(os.path.join(mac, "gold"))):
        with open(os.path.join(out, f"{i}.align"), "w") as f:
            subprocess.run([binary, "align", f"{mac}/zh/{i}", f"{mac}/en/{i}", "--presplit", "--weights", spec(params)]
                           + model_args, stdout=f, env=env, check=True)
    scores.append(f1(binary, os.path.join(mac, "gold"), out))
    bible = os.path.join(data, "bible")
    out = os.path.join(tmp, "bible")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "001.align"), "w") as f:
        subprocess.run([binary, "align", os.path.join(tmp, "en.001"), os.path.join(tmp, "zh.001"), "--presplit",
                        "--weights", spec(params)] + model_args, stdout=f, env=env, check=True)
    scores.append(f1(binary, os.path.join(bible, "gold"), out, ["--ids", "001", "--verses",
                                                                  f"{bible}/en.verse", f"{bible}/zh.verse"]))
    if model and encoder != "muse":
        return scores
    seed = os.path.join(data, "seed")
    out = os.path.join(tmp, "seed")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "yili.align"), "w") as f:
        subprocess.run([binary, "align", f"{seed}/yili.zh", f"{seed}/yili.en", "--presplit", "--weights", spec(params)]
                       + model_args, stdout=f, env=env, check=True)
    scores.append(f1(binary, seed, out) * 0.5)
    return scores


def f1(binary, gold, test, extra=()):
    out = subprocess.run([binary, "eval", gold, test, *extra], capture_output=True, text=True, check=True).stdout
    return float(dict(kv.split("=") for kv in out.split())["f1_strict"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", default="")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--neural", metavar="MODEL_FILE")
    ap.add_argument("--encoder", choices=["muse"])
    args = ap.parse_args()
    if args.encoder:
        names, start = MUSE_PARAMS, MUSE_START
    else:
        names, start = (NEURAL_PARAMS, NEURAL_START) if args.neural else (PARAMS, START)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    tmp = tempfile.mkdtemp(prefix="duiqi-fit-")
    binary = os.path.join(tmp, "duiqi")  # a copy, so rebuilding during a fit changes nothing
    shutil.copy(os.path.join(ROOT, "target", "release", "duiqi"), binary)
    data = os.path.join(args.shared, "data")
    with open(f"{data}/bible/en.txt") as f, open(os.path.join(tmp, "en.001"), "w") as g:
        g.writelines(line for _, line in zip(range(5000), f))
    with open(f"{data}/bible/zh.txt") as f, open(os.path.join(tmp, "zh.001"), "w") as g:
        g.writelines(line for _, line in zip(range(6301), f))
    params = dict(start)
    for part in filter(None, args.start.split(",")):
        k, v = part.split("=")
        params[k] = float(v)
    best = evaluate(params, binary, data, tmp, args.neural, args.encoder)
    print(f"start {best} {spec(params)}", flush=True)
    for round_ in range(args.rounds):
        step = 0.5 / (round_ + 1)
        for name in names:
            for factor in (1 + step, 1 - step, 0):
                trial = dict(params)
                trial[name] = params[name] * factor if factor else (0.05 if params[name] == 0 else 0)
                if name == "lenvar" and trial[name] <= 0:
                    continue
                result = evaluate(trial, binary, data, tmp, args.neural, args.encoder)
                if sum(result) > sum(best) + 1e-4:
                    best, params = result, trial
                    print(f"better {best} {spec(params)}", flush=True)
                    break
    print(f"final {best} --weights '{spec(params)}'")


if __name__ == "__main__":
    main()
