-- Quarto behaviours that pandoc's own writers lack, for the built-in engine.
-- `fig-alt` on a Markdown image becomes the <img> alt text (Quarto does the same).
function Image(img)
  local alt = img.attributes["fig-alt"]
  if alt then
    img.attributes["alt"] = alt
    img.attributes["fig-alt"] = nil
    return img
  end
end
