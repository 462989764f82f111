#!/bin/bash
# usage: scripts/same_outputs.sh OLD_BIN NEW_BIN [WORKDIR]
# Runs a fixed set of commands (train every kind of model; forecast, evaluate, inspect, export and
# import each; a panel of two series; explanations, plots, baselines, backtest, compare, bad inputs) with two grucast
# builds and compares what they write: model files, CSV/JSON/SVG outputs, stdout, stderr and exit
# codes, byte for byte (timings and speeds masked). For refactors that must not change behaviour.
set -u
[ $# -ge 2 ] || { echo "usage: $0 OLD_BIN NEW_BIN [WORKDIR]" >&2; exit 2; }
OLD=$(realpath "$1"); NEW=$(realpath "$2"); WORK=${3:-$(mktemp -d)}
D=$(realpath "$(dirname "$0")/../datasets"); L=$(realpath "$(dirname "$0")/../tests/data/long.csv")

run_all() {
  local G=$1 O=$2
  rm -rf "$O"; mkdir -p "$O"; cd "$O" || exit 1
  run() { local name=$1; shift; "$G" "$@" > "$name.out" 2> "$name.err"; echo "$?" > "$name.rc"; }
  run t_gru train --data $D/co2-concentration.csv --target CO2 --lookback 36 --horizon 12 --season 12 --epochs 8 --threads 2 --out gru.grc
  run t_lstm train --data $D/co2-concentration.csv --target CO2 --lookback 36 --horizon 12 --season 12 --epochs 6 --cell lstm --layers 2 --hidden 16 --dropout 0.2 --threads 2 --out lstm.grc
  run t_att train --data $D/seattle-weather.csv --target temp_max --lookback 28 --horizon 7 --season 1 --epochs 5 --attention additive --threads 2 --out att.grc
  run t_dot train --data $D/seattle-weather.csv --target temp_max --lookback 28 --horizon 7 --season 1 --epochs 5 --attention dot --cell lstm --threads 2 --out dot.grc
  run t_cal train --data $D/seattle-weather.csv --target temp_max --lookback 28 --horizon 7 --season 1 --epochs 4 --calendar month,doy --threads 2 --out cal.grc
  run t_q train --data $D/co2-concentration.csv --target CO2 --lookback 36 --horizon 12 --season 12 --epochs 5 --loss quantile --quantiles 0.1,0.5,0.9 --threads 2 --out q.grc
  run t_f64 train --data $D/sp500-2000.csv --target close --lookback 30 --horizon 5 --season 1 --epochs 3 --precision f64 --optimizer sgd --schedule cosine --threads 2 --out f64.grc
  run t_ck train --data $D/co2-concentration.csv --target CO2 --lookback 36 --horizon 12 --season 12 --epochs 6 --threads 1 --checkpoint ck.grc --checkpoint-every 2 --out ck-model.grc
  for m in gru lstm att dot cal q f64; do
    data=$D/co2-concentration.csv; [ $m = att -o $m = dot -o $m = cal ] && data=$D/seattle-weather.csv; [ $m = f64 ] && data=$D/sp500-2000.csv
    run f_$m forecast --model $m.grc --data $data --intervals 0.8
    run e_$m evaluate --model $m.grc --data $data --json
    run e2_$m evaluate --model $m.grc --data $data --intervals 0.8
    run i_$m inspect $m.grc
    run x_$m export $m.grc --out $m.json
    run m_$m import $m.json --out $m-back.grc
  done
  run t_panel train --data $L --id store --target sales --lookback 7 --horizon 3 --season 7 --epochs 3 --attention dot --threads 2 --out panel.grc
  run f_panel forecast --model panel.grc --data $L --intervals 0.8
  run f_panel_long forecast --model panel.grc --data $L --horizon 8 --explain panel-why.csv
  run e_panel evaluate --model panel.grc --data $L --json --intervals 0.8 --explain panel-lags.csv
  run f_expl forecast --model att.grc --data $D/seattle-weather.csv --explain why.csv
  run e_expl evaluate --model att.grc --data $D/seattle-weather.csv --explain lags.csv --plot test.svg
  run f_long forecast --model gru.grc --data $D/co2-concentration.csv --horizon 30
  run f_plot forecast --model gru.grc --data $D/co2-concentration.csv --horizon 36 --plot forecast.svg
  run b_snaive forecast --baseline snaive --data $D/co2-concentration.csv --target CO2 --horizon 12
  run e_snaive evaluate --baseline snaive --data $D/co2-concentration.csv --target CO2 --horizon 12 --season 12 --json
  run e_drift evaluate --baseline drift --data $D/sp500-2000.csv --target close --horizon 5 --intervals 0.9
  run bt backtest --data $D/seattle-weather.csv --target temp_max --lookback 28 --horizon 7 --season 1 --folds 3 --epochs 3 --intervals 0.8 --forecasts folds.csv
  run cmp compare --data $D/co2-concentration.csv --target CO2 --lookback 36 --horizon 12 --season 12 --epochs 3 --cells gru,lstm --attention none,dot --seeds 2 --format csv
  run tl_plot train --data $D/co2-concentration.csv --target CO2 --lookback 36 --horizon 12 --season 12 --epochs 3 --plot-loss loss.svg --threads 2 --out pl.grc
  run bad1 train --data $D/co2-concentration.csv --target CO2 --cell rnn
  run bad2 train --data $D/co2-concentration.csv --target CO2 --optimizer foo
  run bad3 evaluate --model gru.grc --data $D/seattle-weather.csv
  run bad4 train --data $D/co2-concentration.csv --target CO2 --scaler ZSCORE
  run bad5 train --data $D/co2-concentration.csv --target CO2 --missing what
  run bad6 forecast --baseline x --data $D/co2-concentration.csv --target CO2
}

# Timings and speeds differ between runs; compare's seconds and samples/s columns too.
mask() { sed -E 's/[0-9.]+ ?(s|ms|µs)\b/T/g; s/[0-9]+ samples\/s/S/g'; }
compare_dirs() {
  local A=$1 B=$2 bad=0 f
  for f in $(cd "$A" && ls); do
    case $f in
      ck.grc) ;;  # a checkpoint stores the training time
      cmp.out) diff -q <(cut -d, -f1-5,8-13 "$A/$f") <(cut -d, -f1-5,8-13 "$B/$f") > /dev/null || { echo "differs: $f"; bad=1; } ;;
      *.err|*.out) diff -q <(mask < "$A/$f") <(mask < "$B/$f") > /dev/null || { echo "differs: $f"; bad=1; } ;;
      *) cmp -s "$A/$f" "$B/$f" || { echo "differs: $f"; bad=1; } ;;
    esac
  done
  local extra; extra=$(ls "$B" | grep -vxFf <(ls "$A"))
  [ -z "$extra" ] || { echo "only in the new outputs: $extra"; bad=1; }
  [ $bad = 0 ] && echo "identical ($(ls "$A" | wc -l) files, in $WORK)"
  return $bad
}

run_all "$OLD" "$WORK/old"
run_all "$NEW" "$WORK/new"
compare_dirs "$WORK/old" "$WORK/new"
