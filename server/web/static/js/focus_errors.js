// A page that comes back with errors moves the focus to them: to the summary at the top
// when there is one (it links to each field), else to the first field marked invalid.
const summary = document.getElementById('error-summary');
const invalid = document.querySelector('[aria-invalid="true"]');
if (summary) {
  summary.focus();
  summary.scrollIntoView({ block: 'start' });
} else if (invalid) {
  invalid.focus();
}
