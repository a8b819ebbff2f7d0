// The review screen, keyboard only: a digit sets the answer, Enter accepts (the form's own
// submit; in a comment's text, Shift+Enter is a new line), Backspace on an empty field goes
// back to the previous item.
document.addEventListener("keydown", (event) => {
  const area = event.target;
  if (event.key === "Enter" && !event.shiftKey && area.matches("textarea[data-enter-submits]")) {
    event.preventDefault();
    area.form.requestSubmit();
    return;
  }
  const field = document.getElementById("value");
  if (event.key !== "Backspace" || (field && field.value !== "")) {
    return;
  }
  const back = document.getElementById("back");
  if (back) {
    event.preventDefault();
    window.location.href = back.href;
  }
});
