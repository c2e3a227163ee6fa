#!/usr/bin/env bash
# fuzz.sh — build one of Lumen's libFuzzer targets and run it.
#
#   Scripts/fuzz.sh NAME SECONDS [libFuzzer options...]
#   Scripts/fuzz.sh NAME -runs=1000000          # a number of executions instead of a time
#   Scripts/fuzz.sh all SECONDS                 # every target (the smoke run of ./run-tests)
#   Scripts/fuzz.sh NAME build                  # build the target, run nothing
#
# NAME is one of: safetensors, idx, idx-gzip, expression, csv, csv-target, npy, png, onnx (the parsers
# that read outside data; Fuzz/Targets/NAME.swift). The target is compiled with `swiftc -sanitize=fuzzer,address`
# together with the source targets it needs (each as its own module, all instrumented), into
# .build-fuzz/. `all` builds the targets one after the other (swiftc uses every core), then runs
# them side by side, one per core, each writing .build-fuzz/logs/NAME.log, printed in order. It runs on a scratch copy of the committed seeds (Fuzz/Corpus/NAME), with
# -rss_limit_mb=1024 -malloc_limit_mb=1024: an allocation over 1 GiB counts as a crash, as does
# any sanitizer report. A crash leaves its input in .build-fuzz/crashes/NAME/; turn each into a
# unit test with the file byte by byte. The exit status is libFuzzer's: 0 when nothing was found.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(safetensors idx idx-gzip expression csv csv-target npy png onnx)
name=${1:?usage: Scripts/fuzz.sh NAME SECONDS|-runs=N [libFuzzer options...]; NAME: ${targets[*]} or all}
limit=${2:?usage: Scripts/fuzz.sh NAME SECONDS|-runs=N}
shift 2

if [[ $name == all ]]; then
    for target in "${targets[@]}"; do "$0" "$target" build; done
    [[ $limit == build ]] && exit 0
    mkdir -p .build-fuzz/logs
    # One run per core at a time; a target's status is written beside its log.
    printf '%s\n' "${targets[@]}" | xargs -P "$(nproc)" -I{} sh -c \
        '"$0" {} "$@" > .build-fuzz/logs/{}.log 2>&1; echo $? > .build-fuzz/logs/{}.status' "$0" "$limit" "$@"
    failed=()
    for target in "${targets[@]}"; do
        cat ".build-fuzz/logs/$target.log"
        [[ $(cat ".build-fuzz/logs/$target.status") == 0 ]] || failed+=("$target")
    done
    if (( ${#failed[@]} > 0 )); then echo "fuzz.sh: failed: ${failed[*]}" >&2; exit 1; fi
    exit 0
fi

# The modules each target needs, in dependency order. Files (which needs nothing) comes first
# everywhere, so that the check below never rebuilds it, or what follows it, for another target.
case $name in
    safetensors) modules=(Files Basics Tensors Layers Checkpoints) ;;
    idx|idx-gzip) modules=(Files Basics Tensors Datasets) ;;
    expression) modules=(Basics Tensors Engine Expressions) ;;
    csv|csv-target|npy|png) modules=(Files FileFormats) ;;
    # The ONNX reader alone: swift-protobuf's runtime (from SwiftPM's checkout, resolved here
    # when missing), then Interop's generated messages and its Reading/ folder.
    onnx) modules=(Files SwiftProtobuf ONNXReading)
          [[ -d .build/checkouts/swift-protobuf ]] || swift package resolve >&2 ;;
    *) echo "fuzz.sh: unknown target '$name'; the targets are: ${targets[*]}" >&2; exit 2 ;;
esac

build=.build-fuzz
mkdir -p "$build/modules"
flags=(-O -sanitize=fuzzer,address -parse-as-library -I "$build/modules" -I Sources/CZlib -I Sources/CCairo)
# Cairo's headers (for FileFormats' PNG reader) live where pkg-config says.
for include in $(pkg-config --cflags-only-I cairo); do flags+=(-Xcc "$include"); done

# The folders of a module's sources: Sources/MODULE, except for the two that the onnx target
# assembles.
folders() {
    case $1 in
        SwiftProtobuf) echo .build/checkouts/swift-protobuf/Sources/SwiftProtobuf ;;
        ONNXReading) echo Sources/Interop/Generated Sources/Interop/Reading ;;
        *) echo "Sources/$1" ;;
    esac
}

# A module is rebuilt when any of its sources is newer than its library, or when a module it
# depends on (one before it in the list) is newer than it.
previous=""
for module in "${modules[@]}"; do
    library="$build/modules/lib$module.a"
    # shellcheck disable=SC2046
    sources=$(find $(folders "$module") -name '*.swift' | sort)
    # shellcheck disable=SC2046
    if [[ ! -f $library ]] || [[ -n $(find $(folders "$module") -name '*.swift' -newer "$library") ]] \
        || [[ -n $previous && $previous -nt $library ]]; then
        echo "fuzz.sh: compiling $module" >&2
        rm -f "$library"
        # The modules that hold no reader of outside data (the tensors that a reader fills, the
        # layers, the engine, swift-protobuf's runtime) are compiled without optimization, still
        # instrumented and sanitized: they compile two to three times faster, and the readers,
        # the code under test, stay at -O.
        case $module in
            Basics|Tensors|Layers|Engine) extra=(-Onone) ;;
            # swift-protobuf shares `package` declarations between its files, as SwiftPM builds it.
            SwiftProtobuf) extra=(-Onone -package-name swift_protobuf -swift-version 6) ;;
            *) extra=() ;;
        esac
        # shellcheck disable=SC2086
        swiftc "${flags[@]}" "${extra[@]}" -module-name "$module" -emit-module -emit-module-path "$build/modules/$module.swiftmodule" \
            -emit-library -static -o "$library" $sources 2>&1 | grep -v 'ld.gold: warning' >&2 || true
        [[ -f $library ]] || { echo "fuzz.sh: $module did not build" >&2; exit 1; }
    fi
    previous=$library
done

binary="$build/fuzz-$name"
if [[ ! -f $binary || Fuzz/Targets/$name.swift -nt $binary || -n $(find "$build/modules" -name '*.a' -newer "$binary") ]]; then
    echo "fuzz.sh: linking $binary" >&2
    rm -f "$binary"
    # Static libraries link dependents first: the reverse of the build order.
    libraries=()
    for ((i = ${#modules[@]} - 1; i >= 0; i--)); do libraries+=("$build/modules/lib${modules[i]}.a"); done
    swiftc "${flags[@]}" -module-name "Fuzz_${name//-/_}" "Fuzz/Targets/$name.swift" "${libraries[@]}" -lz -lcairo \
        -o "$binary" 2>&1 | grep -v 'ld.gold: warning' >&2 || true
    [[ -f $binary ]] || { echo "fuzz.sh: the $name target did not link" >&2; exit 1; }
fi

[[ $limit == build ]] && exit 0

# libFuzzer adds what it finds to the corpus folder: work on a copy, keep the committed seeds.
corpus="$build/corpus/$name"
crashes="$build/crashes/$name"
mkdir -p "$corpus" "$crashes"
cp -n Fuzz/Corpus/"$name"/* "$corpus"/ 2>/dev/null || true

if [[ $limit == -* ]]; then duration=("$limit"); else duration=(-max_total_time="$limit"); fi
echo "fuzz.sh: running $name (${duration[*]})" >&2
"$binary" "${duration[@]}" -rss_limit_mb=1024 -malloc_limit_mb=1024 -timeout=60 \
    -artifact_prefix="$crashes/" -print_final_stats=1 "$@" "$corpus"
