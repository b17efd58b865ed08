// "Copy with setup": a second copy button on each recipe's code blocks. The site build puts the text to copy
// (the page's setup block followed by the recipe's code) in data-cookbook-copy (cookbook/site/copy_recipe.py);
// Material's own clipboard handler copies any element with data-clipboard-text and says "Copied".
(function () {
  function addButtons() {
    document.querySelectorAll("[data-cookbook-copy]").forEach(function (block) {
      if (block.querySelector(".cookbook-copy-setup")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cookbook-copy-setup";
      button.textContent = block.getAttribute("data-cookbook-copy-label");
      button.title = block.getAttribute("data-cookbook-copy-title");
      button.setAttribute("data-clipboard-text", block.getAttribute("data-cookbook-copy"));
      // Next to Material's own copy button when it is there; else in a bar of its own at the same place.
      var nav = block.querySelector(".md-code__nav");
      if (!nav) {
        nav = document.createElement("nav");
        nav.className = "md-code__nav";
        (block.querySelector("pre") || block).appendChild(nav);
      }
      nav.insertBefore(button, nav.firstChild);
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(addButtons); // after Material has set up the code blocks (and after instant loading)
  } else {
    document.addEventListener("DOMContentLoaded", addButtons);
  }
})();
