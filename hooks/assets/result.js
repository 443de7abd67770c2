// What a page around an embedded calculator hears after each answer. MIT licence. Generic: it
// knows no medicine. embed.js posts it (type "aihcalc:result") to the page around an iframe;
// element.js dispatches it as the detail of the "aihcalc-result" event.
//
//   {ok, calculator, value, outputs, display, warnings, version, error}
//
// ok true: value and outputs as the calculator's JSON gives them, display the texts the page
// shows, warnings what to check before use, error null. ok false (a refusal, or a required field
// still empty): value, outputs and display null, warnings [], error {field, reason, message} as
// the page shows it; so a host never keeps an answer the calculator has withdrawn.
// version: {package, calculator}, always.

export function resultOf({ calculator, answer }) {
  const result = answer.ok ? answer.result : null;
  return {
    ok: Boolean(answer.ok),
    calculator,
    value: result ? result.value : null,
    outputs: result ? result.outputs : null,
    display: result ? result.display : null,
    warnings: result ? result.warnings : [],
    version: result ? result.version : answer.version,
    error: result ? null : answer.error,
  };
}
