/** A cell as [row, column]. */
export type GridCell = readonly [number, number];

/**
 * Where a key moves the focus in a grid where only some cells hold something (the record map: a
 * facility has no mark in a period it has no records for). Roughly the WAI-ARIA grid pattern, over the
 * cells that exist: ←/→ go to the previous/next filled cell in the row; ↑/↓ go to the nearest filled
 * cell of the previous/next row that has one (so no row is out of reach); Home/End go to the row's
 * first/last, with Ctrl the grid's. At an edge the focus stays where it is. Returns null for any other
 * key, which the caller leaves to the browser (Tab, Enter, Space).
 */
export function moveInGrid(has: (row: number, col: number) => boolean, rows: number, cols: number, at: GridCell, key: string, ctrl = false): GridCell | null {
  const [r, c] = at;
  const inRow = (row: number, from: number, step: 1 | -1): GridCell | null => {
    for (let col = from; col >= 0 && col < cols; col += step) if (has(row, col)) return [row, col];
    return null;
  };
  const nearestIn = (row: number): GridCell | null => {
    for (let d = 0; d < cols; d++) {
      if (c - d >= 0 && has(row, c - d)) return [row, c - d];
      if (c + d < cols && has(row, c + d)) return [row, c + d];
    }
    return null;
  };
  const acrossRows = (from: number, step: 1 | -1, pick: (row: number) => GridCell | null): GridCell | null => {
    for (let row = from; row >= 0 && row < rows; row += step) {
      const cell = pick(row);
      if (cell) return cell;
    }
    return null;
  };
  switch (key) {
    case "ArrowRight":
      return inRow(r, c + 1, 1) ?? at;
    case "ArrowLeft":
      return inRow(r, c - 1, -1) ?? at;
    case "ArrowDown":
      return acrossRows(r + 1, 1, nearestIn) ?? at;
    case "ArrowUp":
      return acrossRows(r - 1, -1, nearestIn) ?? at;
    case "Home":
      return (ctrl ? acrossRows(0, 1, (row) => inRow(row, 0, 1)) : inRow(r, 0, 1)) ?? at;
    case "End":
      return (ctrl ? acrossRows(rows - 1, -1, (row) => inRow(row, cols - 1, -1)) : inRow(r, cols - 1, -1)) ?? at;
    default:
      return null;
  }
}
