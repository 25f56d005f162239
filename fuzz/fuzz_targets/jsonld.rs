#![no_main]

// citykg runs the json-ld crate on its own `citykg-jsonld` thread and answers a panic there with
// a JSON-LD error (src/jsonld/mod.rs), so such a panic is contained, not a crash: only panics
// elsewhere abort. (Contained ones found so far are kept in regressions/jsonld/.)
libfuzzer_sys::fuzz_target!(
    init: {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some("citykg-jsonld") {
                abort(info);
            }
        }));
    },
    |data: &[u8]| citykg::fuzz_targets::jsonld(data)
);
