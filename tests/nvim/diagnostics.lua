-- Run by tests/lsp.rs in a headless Neovim (0.7 or later): attach the
-- built-in LSP client to `iryolint lsp`, open a page, wait for the
-- diagnostics Neovim received, edit the page, wait again, ask for a hover,
-- and write everything as JSON to $IRYOLINT_OUT.
local out = os.getenv('IRYOLINT_OUT')

local function write(value)
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(value))
  f:close()
end

local function snapshot(buf)
  local items = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    table.insert(items, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      code = code, source = d.source, message = d.message, severity = d.severity,
    })
  end
  return items
end

local ok, err = pcall(function()
  local bin, page = os.getenv('IRYOLINT_BIN'), os.getenv('IRYOLINT_PAGE')
  local edit_line = tonumber(os.getenv('IRYOLINT_EDIT_LINE'))
  local id = vim.lsp.start_client({
    name = 'iryolint',
    cmd = { bin, '--lang', 'en', 'lsp' },
    root_dir = vim.fn.fnamemodify(page, ':h'),
  })
  assert(id, 'the LSP client did not start')
  vim.cmd('edit ' .. vim.fn.fnameescape(page))
  local buf = vim.api.nvim_get_current_buf()
  assert(vim.lsp.buf_attach_client(buf, id), 'could not attach')
  assert(vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50), 'no diagnostics arrived')
  local before = snapshot(buf)

  -- Type an emoji at the start of a line with a finding: Neovim sends an
  -- incremental change in UTF-16 units; the finding must move 4 bytes.
  local on_line = vim.diagnostic.get(buf, { lnum = edit_line })
  assert(#on_line > 0, 'no diagnostic on line ' .. edit_line)
  local old_col = on_line[1].col
  vim.api.nvim_buf_set_text(buf, edit_line, 0, edit_line, 0, { '🎉' })
  local moved = vim.wait(20000, function()
    for _, d in ipairs(vim.diagnostic.get(buf, { lnum = edit_line })) do
      if d.col == old_col + 4 then return true end
    end
    return false
  end, 50)
  assert(moved, 'the diagnostics did not follow the edit')
  local after = snapshot(buf)
  local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') .. '\n'

  -- Hover on the moved finding, through Neovim's client.
  local line_text = vim.api.nvim_buf_get_lines(buf, edit_line, edit_line + 1, false)[1]
  local _, utf16 = vim.str_utfindex(line_text, old_col + 4)
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = edit_line, character = utf16 } }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 10000) or {}
  local hover = vim.NIL
  for _, r in pairs(responses) do
    if r.result then hover = r.result.contents.value end
  end

  vim.lsp.stop_client(id)
  assert(vim.wait(10000, function() return vim.lsp.client_is_stopped(id) end, 50), 'the server did not stop')
  write({ before = before, after = after, text = text, hover = hover, hover_line = edit_line, hover_col = old_col + 4 })
end)
if not ok then write({ error = tostring(err) }) end
vim.cmd('qa!')
