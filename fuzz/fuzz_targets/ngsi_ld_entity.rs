#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| citykg::fuzz_targets::ngsi_ld_entity(data));
