// Keying: as digits go in, count them against each element of the questionnaire, so a clerk
// sees at once where a digit was skipped or doubled. Spaces are ignored, as by the server.
(() => {
  "use strict";
  const field = document.getElementById("digits");
  const groups = document.querySelectorAll("#digit-groups li");
  const total = document.getElementById("digit-total");
  if (!field || !groups.length || !total) {
    return;
  }
  const expected = [...groups].reduce((sum, group) => sum + Number(group.dataset.size), 0);

  function update() {
    const typed = field.value.replace(/\s/g, "").length;
    let before = 0;
    for (const group of groups) {
      const size = Number(group.dataset.size);
      const here = Math.min(Math.max(typed - before, 0), size);
      group.querySelector(".group-count").textContent = here + "/" + size;
      group.classList.toggle("full", here === size);
      group.classList.toggle("current", here > 0 && here < size);
      before += size;
    }
    const over = typed - expected;
    total.classList.toggle("over", over > 0);
    total.textContent = over > 0
      ? total.dataset.over.replace("{n}", over)
      : total.dataset.typed.replace("{typed}", typed).replace("{total}", expected);
  }

  field.addEventListener("input", update);
  update();
})();
