// A filter box for a long list of criteria checkboxes grouped by section: shows only those matching
// every word typed (in the reference, the statement or the section's title). Ticked ones stay ticked.
const box = document.querySelector("[data-criteria-filter]");

function start() {
  const input = box.querySelector("input");
  const count = document.getElementById("criteria-filter-count");
  const groups = [...document.querySelectorAll("[data-criteria-group]")];
  const index = groups.map((group) => {
    const title = group.querySelector(".app-criteria-group__title").textContent;
    const items = [...group.querySelectorAll("[data-criteria-item]")].map((item) => ({
      item,
      text: `${item.textContent} ${title}`.toLowerCase(),
    }));
    return { group, items };
  });
  const total = index.reduce((sum, entry) => sum + entry.items.length, 0);

  function apply() {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const { group, items } of index) {
      let visible = 0;
      for (const { item, text } of items) {
        const match = words.every((word) => text.includes(word));
        item.hidden = !match;
        if (match) visible += 1;
      }
      group.hidden = visible === 0;
      shown += visible;
    }
    count.textContent = words.length ? `${shown} of ${total} criteria shown` : "";
  }

  box.hidden = false;
  input.addEventListener("input", apply);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault(); // filtering, not submitting the form
  });
}

if (box) start();
