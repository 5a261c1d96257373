// Test-only stand-in for Livewire 3's round trip (Livewire is not installable here): on a
// wire:model.live change, the component is re-rendered on the server with the new property
// values and morphed into the page (attributes updated in place, wire:ignore subtrees kept),
// as Livewire does. The kit's chart script must notice and redraw on its own.
"use strict";

const COMPONENTS = { forecast: "aktina-ml.sales-prediction", segments: "aktina-ml.customer-segmentation" };

function morph(from, to) {
  for (const attr of [...from.attributes]) if (!to.hasAttribute(attr.name)) from.removeAttribute(attr.name);
  for (const attr of [...to.attributes]) {
    if (from.getAttribute(attr.name) !== attr.value) from.setAttribute(attr.name, attr.value);
  }
  if (from.hasAttribute("wire:ignore")) return;
  if (from.tagName === "INPUT") from.checked = to.hasAttribute("checked");
  const old = [...from.childNodes];
  [...to.childNodes].forEach((node, i) => {
    const current = old[i];
    if (!current) from.appendChild(node.cloneNode(true));
    else if (current.nodeType !== node.nodeType || current.nodeName !== node.nodeName) {
      from.replaceChild(node.cloneNode(true), current);
    } else if (node.nodeType === Node.ELEMENT_NODE) morph(current, node);
    else if (current.nodeValue !== node.nodeValue) current.nodeValue = node.nodeValue;
  });
  old.slice(to.childNodes.length).forEach((node) => node.remove());
  if (from.tagName === "SELECT") from.value = to.querySelector("option[selected]")?.value ?? from.value;
}

document.addEventListener("change", async (event) => {
  const input = event.target.closest("[wire\\:model\\.live]");
  const root = input && input.closest("[data-aktina-ml-panel]");
  if (!root) return;
  const params = new URLSearchParams();
  root.querySelectorAll("[wire\\:model\\.live]").forEach((el) => {
    if (el.type !== "radio" || el.checked) params.set(el.getAttribute("wire:model.live"), el.value);
  });
  root.querySelectorAll("[wire\\:loading]").forEach((el) => { el.style.display = "block"; });
  const response = await fetch(`/livewire-stand-in/${COMPONENTS[root.dataset.aktinaMlPanel]}?${params}`);
  const next = new DOMParser().parseFromString(await response.text(), "text/html").body.firstElementChild;
  morph(root, next);
});
