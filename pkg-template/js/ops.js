// GENERATED from src/proto/ops.rs by `cargo run --example seam` (checked by
// tests/seam_files.rs): do not edit. One method of VoiceClient per row of the
// operation table that the client's one driver performs (`call`).

/** [method, row, path parameters, has a JSON body] */
export const OPERATIONS = [
  ['getDiscovery', 0, 0, 0],
  ['getSessionAudio', 4, 1, 0],
  ['updateSession', 5, 1, 1],
  ['processTemplate', 8, 2, 0],
  ['uploadTranscript', 9, 1, 1],
  ['createTemplate', 10, 0, 1],
  ['listTemplates', 11, 0, 0],
  ['updateTemplate', 12, 1, 1],
  ['deleteTemplate', 13, 1, 0],
  ['saveDocument', 14, 0, 1],
  ['getDocument', 15, 1, 0],
  ['deleteDocument', 16, 1, 0],
  ['listSessionDocuments', 17, 1, 0],
  ['getSessions', 18, 0, 0],
];
