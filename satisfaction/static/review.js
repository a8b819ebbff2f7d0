// The review screen, keyboard only: a digit sets the answer, Enter accepts (the form's own
// submit), Backspace on an empty field goes back to the previous item.
document.addEventListener("keydown", (event) => {
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
